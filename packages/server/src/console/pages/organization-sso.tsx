/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { Csrf, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

/** An organization's SSO as GET /organizations/{id}/sso answers it. */
export interface SsoView {
  provider_id: string;
  required: boolean;
  role_claim: string | null;
  role_map: Record<string, string[]>;
}

/** The form as typed, shown again when the API refuses it. */
export interface SsoFormValues {
  provider_id: string;
  required: boolean;
  role_claim: string;
  role_map: string;
}

export function ssoFormValues(sso: SsoView | undefined): SsoFormValues {
  return {
    provider_id: sso?.provider_id ?? '',
    required: sso?.required ?? true,
    role_claim: sso?.role_claim ?? '',
    role_map: sso && Object.keys(sso.role_map).length > 0 ? JSON.stringify(sso.role_map, null, 2) : '',
  };
}

const LABELS: Readonly<Record<string, ConsoleKey>> = { provider_id: 'sso.provider', role_claim: 'sso.roleClaim', role_map: 'sso.roleMap' };

/**
 * The organization's single sign-on on its page: the provider its members sign in through,
 * whether they must, and the claim that gives them roles (PUT /organizations/{id}/sso).
 */
export function OrganizationSsoSection(props: {
  frame: Frame;
  action: (rest: string) => string;
  sso: SsoView | undefined;
  providers: { id: string; display_name: string }[];
  canWrite: boolean;
  values?: SsoFormValues;
  problem?: FormProblem;
}): Html {
  const { scope, t } = props.frame;
  const sso = props.sso;
  const v = props.values ?? ssoFormValues(sso);
  const p = props.problem;
  const providerName = (id: string): string => props.providers.find((x) => x.id === id)?.display_name ?? id;
  return (
    <section aria-labelledby="sso-title">
      <h2 id="sso-title">{t.t('sso.title')}</h2>
      <p class="muted">{t.t('sso.intro')}</p>
      {sso ? null : <p>{t.t('sso.none')}</p>}
      {!props.canWrite && sso ? (
        <dl class="facts">
          <dt>{t.t('sso.provider')}</dt>
          <dd>{providerName(sso.provider_id)}</dd>
          <dt>{t.t('sso.required')}</dt>
          <dd>{sso.required ? t.t('orgs.yes') : t.t('orgs.no')}</dd>
          <dt>{t.t('sso.roleClaim')}</dt>
          <dd dir="ltr">{sso.role_claim ?? '—'}</dd>
          <dt>{t.t('sso.roleMap')}</dt>
          <dd dir="ltr">
            <code>{JSON.stringify(sso.role_map)}</code>
          </dd>
        </dl>
      ) : null}
      {props.canWrite && props.providers.length === 0 ? (
        <p>
          <a href={scope.path(CONSOLE_PATHS.upstreamProviders)}>{t.t('sso.noProviders')}</a>
        </p>
      ) : null}
      {props.canWrite && props.providers.length > 0 ? (
        <form method="post" action={props.action('/sso')}>
          <Csrf frame={props.frame} />
          <FieldErrors frame={props.frame} problem={p} labels={LABELS} />
          <label for="provider_id">{t.t('sso.provider')}</label>
          <select id="provider_id" name="provider_id" required {...fieldAttrs(p, 'provider_id')}>
            {props.providers.map((x) => (
              <option value={x.id} selected={v.provider_id === x.id}>
                {x.display_name} ({x.id})
              </option>
            ))}
          </select>
          <p>
            <input type="checkbox" id="sso-required" name="required" value="1" checked={v.required} aria-describedby="sso-required-hint" />
            <label for="sso-required">{t.t('sso.required')}</label>
          </p>
          <p class="hint" id="sso-required-hint">
            {t.t('sso.requiredHint')}
          </p>
          <label for="role_claim">{t.t('sso.roleClaim')}</label>
          <p class="hint" id="role_claim-hint">
            {t.t('sso.roleClaimHint')}
          </p>
          <input
            id="role_claim"
            name="role_claim"
            type="text"
            maxlength={100}
            dir="ltr"
            value={v.role_claim}
            {...fieldAttrs(p, 'role_claim', 'role_claim-hint')}
          />
          <label for="role_map">{t.t('sso.roleMap')}</label>
          <p class="hint" id="role_map-hint">
            {t.t('sso.roleMapHint')}
          </p>
          <textarea id="role_map" name="role_map" rows={5} dir="ltr" {...fieldAttrs(p, 'role_map', 'role_map-hint')}>
            {v.role_map}
          </textarea>
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('sso.save')}
            </button>
          </p>
        </form>
      ) : null}
      {props.canWrite && sso ? (
        <form method="post" action={props.action('/sso/clear')}>
          <Csrf frame={props.frame} />
          <p class="hint">{t.t('sso.clearHint')}</p>
          <button type="submit" class="danger">
            {t.t('sso.clear')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

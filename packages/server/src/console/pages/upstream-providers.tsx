/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { Copyable } from './apps.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

/** A provider as GET /upstream-providers answers it (never its client secret). */
export interface ProviderRow {
  id: string;
  kind: 'oidc' | 'oauth2';
  preset: string | null;
  display_name: string;
  issuer_url: string | null;
  authorization_endpoint: string | null;
  token_endpoint: string | null;
  userinfo_endpoint: string | null;
  client_id: string;
  redirect_uri: string;
  scopes: string[];
  claim_mapping: Record<string, string | undefined>;
  trusted_for_linking: boolean;
  trust_amr: boolean;
  enabled: boolean;
  default_sign_in: 'off' | 'link' | 'always';
}

/** The Admin API's claim_mapping keys, in the order the form shows them. */
export const CLAIM_KEYS = ['subject', 'email', 'email_verified', 'name', 'picture'] as const;

/** The form as typed (or as stored), without the client secret: that is never put back in a page. */
export interface ProviderFormValues {
  id: string;
  preset: string;
  kind: string;
  display_name: string;
  issuer_url: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  client_id: string;
  scopes: string;
  claims: Record<string, string>;
  trusted_for_linking: boolean;
  trust_amr: boolean;
  enabled: boolean;
  default_sign_in: string;
}

export const providerPath = (id: string): string => `${CONSOLE_PATHS.upstreamProviders}/${encodeURIComponent(id)}`;

const EMPTY: ProviderFormValues = {
  id: '',
  preset: '',
  kind: '',
  display_name: '',
  issuer_url: '',
  authorization_endpoint: '',
  token_endpoint: '',
  userinfo_endpoint: '',
  client_id: '',
  scopes: '',
  claims: {},
  trusted_for_linking: false,
  trust_amr: false,
  enabled: true,
  default_sign_in: 'off',
};

function valuesOf(p: ProviderRow): ProviderFormValues {
  return {
    id: p.id,
    preset: p.preset ?? '',
    kind: p.kind,
    display_name: p.display_name,
    issuer_url: p.issuer_url ?? '',
    authorization_endpoint: p.authorization_endpoint ?? '',
    token_endpoint: p.token_endpoint ?? '',
    userinfo_endpoint: p.userinfo_endpoint ?? '',
    client_id: p.client_id,
    scopes: p.scopes.join(' '),
    claims: Object.fromEntries(CLAIM_KEYS.map((k) => [k, p.claim_mapping[k] ?? ''])),
    trusted_for_linking: p.trusted_for_linking,
    trust_amr: p.trust_amr,
    enabled: p.enabled,
    default_sign_in: p.default_sign_in,
  };
}

/** Field names as the Admin API reports them, to the label keys of the form's fields. */
const LABELS: Readonly<Record<string, ConsoleKey>> = {
  id: 'idp.id',
  preset: 'idp.preset',
  kind: 'idp.kind',
  display_name: 'idp.displayName',
  issuer_url: 'idp.issuerUrl',
  authorization_endpoint: 'idp.authorizationEndpoint',
  token_endpoint: 'idp.tokenEndpoint',
  userinfo_endpoint: 'idp.userinfoEndpoint',
  client_id: 'idp.clientId',
  client_secret: 'idp.clientSecret',
  scopes: 'idp.scopes',
  claim_mapping: 'idp.claims',
  default_sign_in: 'idp.default',
};

const DEFAULTS = ['off', 'link', 'always'] as const;

function Check(props: { id: string; checked: boolean; label: string; hint: string }): Html {
  return (
    <>
      <p>
        <input type="checkbox" id={props.id} name={props.id} value="1" checked={props.checked} aria-describedby={`${props.id}-hint`} />
        <label for={props.id}>{props.label}</label>
      </p>
      <p class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
    </>
  );
}

function Text(props: { name: string; label: string; value: string; problem: FormProblem | undefined; hint?: string; type?: string; required?: boolean }): Html {
  return (
    <>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        maxlength={2000}
        dir="ltr"
        value={props.value}
        required={props.required}
        {...fieldAttrs(props.problem, props.name, props.hint ? `${props.name}-hint` : undefined)}
      />
    </>
  );
}

/**
 * The fields the create and edit forms share. The client secret field is always empty: on
 * create it is required, on edit an empty one keeps the stored secret.
 */
function ProviderFields(props: { frame: Frame; values: ProviderFormValues; problem: FormProblem | undefined; creating: boolean }): Html {
  const { t } = props.frame;
  const v = props.values;
  const p = props.problem;
  return (
    <>
      <Text name="display_name" label={t.t('idp.displayName')} hint={t.t('idp.displayNameHint')} value={v.display_name} problem={p} />
      <Text name="issuer_url" label={t.t('idp.issuerUrl')} hint={t.t('idp.issuerUrlHint')} value={v.issuer_url} problem={p} type="url" />
      <fieldset>
        <legend>{t.t('idp.endpoints')}</legend>
        <p class="hint">{t.t('idp.endpointsHint')}</p>
        <Text name="authorization_endpoint" label={t.t('idp.authorizationEndpoint')} value={v.authorization_endpoint} problem={p} type="url" />
        <Text name="token_endpoint" label={t.t('idp.tokenEndpoint')} value={v.token_endpoint} problem={p} type="url" />
        <Text name="userinfo_endpoint" label={t.t('idp.userinfoEndpoint')} value={v.userinfo_endpoint} problem={p} type="url" />
      </fieldset>
      <Text name="client_id" label={t.t('idp.clientId')} value={v.client_id} problem={p} required />
      <label for="client_secret">{t.t('idp.clientSecret')}</label>
      <p class="hint" id="client_secret-hint">
        {props.creating ? t.t('idp.clientSecretHint') : t.t('idp.clientSecretKeep')}
      </p>
      <input
        id="client_secret"
        name="client_secret"
        type="password"
        autocomplete="off"
        maxlength={4000}
        dir="ltr"
        required={props.creating}
        {...fieldAttrs(p, 'client_secret', 'client_secret-hint')}
      />
      <Text name="scopes" label={t.t('idp.scopes')} hint={t.t('idp.scopesHint')} value={v.scopes} problem={p} />
      <fieldset id="claim_mapping">
        <legend>{t.t('idp.claims')}</legend>
        <p class="hint">{t.t('idp.claimsHint')}</p>
        {CLAIM_KEYS.map((k) => (
          <>
            <label for={`claim_${k}`}>
              <code dir="ltr">{k}</code>
            </label>
            <input id={`claim_${k}`} name={`claim_${k}`} type="text" maxlength={100} dir="ltr" value={v.claims[k] ?? ''} />
          </>
        ))}
      </fieldset>
      <Check id="enabled" checked={v.enabled} label={t.t('idp.enabled')} hint={t.t('idp.enabledHint')} />
      <Check id="trusted_for_linking" checked={v.trusted_for_linking} label={t.t('idp.trustedForLinking')} hint={t.t('idp.trustedForLinkingHint')} />
      <Check id="trust_amr" checked={v.trust_amr} label={t.t('idp.trustAmr')} hint={t.t('idp.trustAmrHint')} />
      <label for="default_sign_in">{t.t('idp.default')}</label>
      <select id="default_sign_in" name="default_sign_in" {...fieldAttrs(p, 'default_sign_in')}>
        {DEFAULTS.map((d) => (
          <option value={d} selected={v.default_sign_in === d}>
            {t.t(`idp.default.${d}` as ConsoleKey)}
          </option>
        ))}
      </select>
    </>
  );
}

function stateOf(frame: Frame, p: ProviderRow): string {
  return p.enabled ? frame.t.t('idp.stateEnabled') : frame.t.t('idp.stateDisabled');
}

/** The issuer's providers, and the form that adds one. */
export function UpstreamProvidersPage(props: {
  frame: Frame;
  providers: ProviderRow[];
  presets: string[];
  canWrite: boolean;
  notice?: ConsoleKey;
  values?: ProviderFormValues;
  problem?: FormProblem;
}): Html {
  const { scope, t } = props.frame;
  const title = t.t('idp.title');
  const v = props.values ?? EMPTY;
  const p = props.problem;
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      {props.notice ? <Notice kind="ok">{t.t(props.notice)}</Notice> : null}
      <p class="muted">{t.t('idp.intro')}</p>
      {props.providers.length === 0 ? (
        <p>{t.t('idp.none')}</p>
      ) : (
        <table class="list" id="providers">
          <thead>
            <tr>
              <th scope="col">{t.t('idp.displayName')}</th>
              <th scope="col">{t.t('idp.id')}</th>
              <th scope="col">{t.t('idp.kind')}</th>
              <th scope="col">{t.t('idp.linking')}</th>
              <th scope="col">{t.t('idp.default')}</th>
              <th scope="col">{t.t('idp.state')}</th>
            </tr>
          </thead>
          <tbody>
            {props.providers.map((row) => (
              <tr>
                <td>
                  <a href={scope.path(providerPath(row.id))}>{row.display_name}</a>
                </td>
                <td>
                  <code dir="ltr">{row.id}</code>
                </td>
                <td>
                  <code dir="ltr">{row.preset ?? row.kind}</code>
                </td>
                <td>{row.trusted_for_linking ? t.t('idp.linkingTrusted') : t.t('idp.linkingAsks')}</td>
                <td>{t.t(`idp.default.${row.default_sign_in}` as ConsoleKey)}</td>
                <td>{stateOf(props.frame, row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canWrite ? (
        <form method="post" action={scope.path(CONSOLE_PATHS.upstreamProviders)}>
          <Csrf frame={props.frame} />
          <h2>{t.t('idp.create')}</h2>
          <FieldErrors frame={props.frame} problem={p} labels={LABELS} />
          <Text name="id" label={t.t('idp.id')} hint={t.t('idp.idHint')} value={v.id} problem={p} required />
          <label for="preset">{t.t('idp.preset')}</label>
          <p class="hint" id="preset-hint">
            {t.t('idp.presetHint')}
          </p>
          <select id="preset" name="preset" {...fieldAttrs(p, 'preset', 'preset-hint')}>
            <option value="" selected={v.preset === ''}>
              {t.t('idp.presetNone')}
            </option>
            {props.presets.map((name) => (
              <option value={name} selected={v.preset === name}>
                {name}
              </option>
            ))}
          </select>
          <label for="kind">{t.t('idp.kind')}</label>
          <select id="kind" name="kind" {...fieldAttrs(p, 'kind')}>
            <option value="" selected={v.kind === ''}>
              {t.t('idp.kindFromPreset')}
            </option>
            <option value="oidc" selected={v.kind === 'oidc'}>
              {t.t('idp.kindOidc')}
            </option>
            <option value="oauth2" selected={v.kind === 'oauth2'}>
              {t.t('idp.kindOauth2')}
            </option>
          </select>
          <ProviderFields frame={props.frame} values={v} problem={p} creating />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('idp.createButton')}
            </button>
          </p>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

/** What a viewer sees of a provider: its settings, no form. */
function Settings(props: { frame: Frame; provider: ProviderRow }): Html {
  const { t } = props.frame;
  const p = props.provider;
  const yes = (b: boolean): string => (b ? t.t('orgs.yes') : t.t('orgs.no'));
  const rows: [string, string][] = [
    [t.t('idp.kind'), p.preset ?? p.kind],
    [t.t('idp.issuerUrl'), p.issuer_url ?? '—'],
    [t.t('idp.authorizationEndpoint'), p.authorization_endpoint ?? '—'],
    [t.t('idp.tokenEndpoint'), p.token_endpoint ?? '—'],
    [t.t('idp.userinfoEndpoint'), p.userinfo_endpoint ?? '—'],
    [t.t('idp.clientId'), p.client_id],
    [t.t('idp.scopes'), p.scopes.join(' ')],
    [t.t('idp.trustedForLinking'), yes(p.trusted_for_linking)],
    [t.t('idp.trustAmr'), yes(p.trust_amr)],
    [t.t('idp.default'), t.t(`idp.default.${p.default_sign_in}` as ConsoleKey)],
  ];
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <>
          <dt>{label}</dt>
          <dd dir="auto">{value}</dd>
        </>
      ))}
    </dl>
  );
}

/** One provider: where to register it, its settings (a form for those who may change them), and the delete. */
export function UpstreamProviderPage(props: {
  frame: Frame;
  provider: ProviderRow;
  canWrite: boolean;
  notice?: ConsoleKey | undefined;
  values?: ProviderFormValues;
  problem?: FormProblem;
  problemAt?: string;
}): Html {
  const { scope, t } = props.frame;
  const row = props.provider;
  const base = providerPath(row.id);
  const problemFor = (form: string): FormProblem | undefined => (props.problemAt === form ? props.problem : undefined);
  return (
    <ConsoleLayout frame={props.frame} title={row.display_name}>
      <h1 id="page-title">{row.display_name}</h1>
      <p>
        <code dir="ltr">{row.id}</code> · {stateOf(props.frame, row)}
      </p>
      {props.notice ? <Notice kind="ok">{t.t(props.notice)}</Notice> : null}
      <Copyable id="redirect-uri" label={t.t('idp.redirectUri')} value={row.redirect_uri} copy={t.t('action.copy')} />
      <Copyable id="signin-link" label={t.t('idp.signInLink')} value={row.redirect_uri.replace(/\/callback$/, '')} copy={t.t('action.copy')} />
      <h2>{t.t('idp.settings')}</h2>
      {props.canWrite ? (
        <form method="post" action={scope.path(base)}>
          <Csrf frame={props.frame} />
          <FieldErrors frame={props.frame} problem={problemFor('settings')} labels={LABELS} />
          <ProviderFields frame={props.frame} values={props.values ?? valuesOf(row)} problem={problemFor('settings')} creating={false} />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('action.save')}
            </button>
          </p>
        </form>
      ) : (
        <Settings frame={props.frame} provider={row} />
      )}
      {props.canWrite ? (
        <form method="post" action={scope.path(`${base}/delete`)} class="danger-zone">
          <Csrf frame={props.frame} />
          <h2>{t.t('idp.delete')}</h2>
          <FieldErrors frame={props.frame} problem={problemFor('delete')} />
          <p>{t.t('idp.deleteText')}</p>
          <p>
            <input type="checkbox" id="confirm" name="confirm" value="1" required />
            <label for="confirm">{t.t('idp.deleteConfirm', { name: row.display_name })}</label>
          </p>
          <button type="submit" class="danger">
            {t.t('idp.deleteButton')}
          </button>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

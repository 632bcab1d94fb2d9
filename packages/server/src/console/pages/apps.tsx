/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { z } from 'zod';
import type { clientSchema } from '../../admin/api/client-schema.js';
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import { type AppValues, envBlock, snippets } from '../snippets.js';
import type { ConsoleKey } from '../text/catalog.js';
import { TryPanel } from './try-sign-in.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

export type ClientView = z.infer<typeof clientSchema>;
export type AppType = ClientView['type'];
export const APP_TYPE_ORDER: readonly AppType[] = ['web', 'spa', 'native', 'machine'];

const appPath = (id: string, rest = ''): string => `${CONSOLE_PATHS.apps}/${encodeURIComponent(id)}${rest}`;

/** Every app registered at this issuer (the console's own client is left out). */
export function AppsPage(props: { frame: Frame; apps: ClientView[]; next: string | undefined; notice?: ConsoleKey }): Html {
  const { scope, t } = props.frame;
  const title = t.t('apps.title');
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <div class="heading">
        <h1 id="page-title">{title}</h1>
        <a class="button primary" href={scope.path(CONSOLE_PATHS.newApp)}>
          {t.t('apps.new')}
        </a>
      </div>
      {props.notice ? <Notice kind="ok">{t.t(props.notice)}</Notice> : null}
      {props.apps.length === 0 ? (
        <p class="muted">{t.t('apps.none')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t.t('field.name')}</th>
              <th scope="col">{t.t('apps.type')}</th>
              <th scope="col">{t.t('apps.clientId')}</th>
            </tr>
          </thead>
          <tbody>
            {props.apps.map((app) => (
              <tr>
                <td>
                  <a href={scope.path(appPath(app.client_id))}>{app.client_name}</a>
                </td>
                <td>{t.t(`type.${app.type}` as ConsoleKey)}</td>
                <td>
                  <code dir="ltr">{app.client_id}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.next ? (
        <p>
          <a href={`${scope.path(CONSOLE_PATHS.apps)}?cursor=${encodeURIComponent(props.next)}`}>{t.t('list.more')}</a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}

/** The wizard's first step: what kind of app it is, which sets every default that follows. */
export function NewAppTypePage(props: { frame: Frame }): Html {
  const { scope, t } = props.frame;
  const title = t.t('apps.newTitle');
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <form method="get" action={scope.path(CONSOLE_PATHS.newApp)}>
        <fieldset>
          <legend>{t.t('apps.chooseType')}</legend>
          <ul class="choices">
            {APP_TYPE_ORDER.map((type, i) => (
              <li>
                <input type="radio" id={`type-${type}`} name="type" value={type} checked={i === 0} />
                <label for={`type-${type}`}>
                  <strong>{t.t(`type.${type}` as ConsoleKey)}</strong>
                  <span class="muted">{t.t(`type.${type}.hint` as ConsoleKey)}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <p class="actions">
          <button type="submit" class="primary">
            {t.t('apps.next')}
          </button>
        </p>
      </form>
    </ConsoleLayout>
  );
}

export interface AppFormValues {
  client_name: string;
  description: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  scope: string;
  /** RFC 8707 resource indicators, one per line. */
  resources: string;
  logo_uri: string;
  policy_uri: string;
  tos_uri: string;
  first_party: boolean;
  require_mfa: boolean;
  backchannel_logout_uri: string;
  backchannel_logout_session_required: boolean;
}

export const emptyAppForm = (): AppFormValues => ({
  client_name: '',
  description: '',
  redirect_uris: '',
  post_logout_redirect_uris: '',
  scope: '',
  resources: '',
  logo_uri: '',
  policy_uri: '',
  tos_uri: '',
  first_party: false,
  require_mfa: false,
  backchannel_logout_uri: '',
  backchannel_logout_session_required: false,
});

export function formValuesOf(app: ClientView): AppFormValues {
  return {
    client_name: app.client_name,
    description: app.description,
    redirect_uris: app.redirect_uris.join('\n'),
    post_logout_redirect_uris: app.post_logout_redirect_uris.join('\n'),
    scope: app.scope,
    resources: app.resources.join('\n'),
    logo_uri: app.logo_uri ?? '',
    policy_uri: app.policy_uri ?? '',
    tos_uri: app.tos_uri ?? '',
    first_party: app.first_party,
    require_mfa: app.require_mfa,
    backchannel_logout_uri: app.backchannel_logout_uri ?? '',
    backchannel_logout_session_required: app.backchannel_logout_session_required,
  };
}

/** The label of each field the Admin API may name in a refusal. */
const FIELD_LABELS: Readonly<Record<string, ConsoleKey>> = {
  client_name: 'field.name',
  description: 'apps.description',
  redirect_uris: 'apps.redirectUris',
  post_logout_redirect_uris: 'apps.logoutUris',
  scope: 'apps.scope',
  resources: 'apps.resources',
  logo_uri: 'apps.logo',
  policy_uri: 'apps.policy',
  tos_uri: 'apps.tos',
  backchannel_logout_uri: 'logout.backchannelUri',
};

/** The fields of an app, for the wizard's second step and for editing. */
function AppFields(props: { frame: Frame; type: AppType; values: AppFormValues; problem?: FormProblem }): Html {
  const { t } = props.frame;
  const v = props.values;
  const p = props.problem;
  const signsIn = props.type !== 'machine';
  return (
    <>
      <label for="client_name">{t.t('field.name')}</label>
      <input id="client_name" name="client_name" type="text" required maxlength={200} value={v.client_name} {...fieldAttrs(p, 'client_name')} />
      <label for="description">{t.t('apps.description')}</label>
      <input id="description" name="description" type="text" maxlength={1000} value={v.description} {...fieldAttrs(p, 'description')} />
      {signsIn ? (
        <>
          <label for="redirect_uris">{t.t('apps.redirectUris')}</label>
          <p class="hint" id="redirect_uris-hint">
            {t.t(props.type === 'web' ? 'apps.redirectHint.web' : props.type === 'spa' ? 'apps.redirectHint.spa' : 'apps.redirectHint.native')}
          </p>
          <textarea id="redirect_uris" name="redirect_uris" rows={3} dir="ltr" required {...fieldAttrs(p, 'redirect_uris', 'redirect_uris-hint')}>
            {v.redirect_uris}
          </textarea>
          <label for="post_logout_redirect_uris">{t.t('apps.logoutUris')}</label>
          <textarea id="post_logout_redirect_uris" name="post_logout_redirect_uris" rows={2} dir="ltr" {...fieldAttrs(p, 'post_logout_redirect_uris')}>
            {v.post_logout_redirect_uris}
          </textarea>
        </>
      ) : null}
      <label for="scope">{t.t('apps.scope')}</label>
      <p class="hint" id="scope-hint">
        {t.t(signsIn ? 'apps.scopeHint' : 'apps.scopeHintMachine')}
      </p>
      <input id="scope" name="scope" type="text" dir="ltr" maxlength={2000} value={v.scope} {...fieldAttrs(p, 'scope', 'scope-hint')} />
      <label for="resources">{t.t('apps.resources')}</label>
      <p class="hint" id="resources-hint">
        {t.t('apps.resourcesHint')}
      </p>
      <textarea id="resources" name="resources" rows={2} dir="ltr" {...fieldAttrs(p, 'resources', 'resources-hint')}>
        {v.resources}
      </textarea>
      {signsIn ? (
        <>
          <details>
            <summary>{t.t('apps.more')}</summary>
            <label for="logo_uri">{t.t('apps.logo')}</label>
            <input id="logo_uri" name="logo_uri" type="url" dir="ltr" value={v.logo_uri} {...fieldAttrs(p, 'logo_uri')} />
            <label for="policy_uri">{t.t('apps.policy')}</label>
            <input id="policy_uri" name="policy_uri" type="url" dir="ltr" value={v.policy_uri} {...fieldAttrs(p, 'policy_uri')} />
            <label for="tos_uri">{t.t('apps.tos')}</label>
            <input id="tos_uri" name="tos_uri" type="url" dir="ltr" value={v.tos_uri} {...fieldAttrs(p, 'tos_uri')} />
            <label for="backchannel_logout_uri">{t.t('logout.backchannelUri')}</label>
            <p class="hint" id="backchannel_logout_uri-hint">
              {t.t('logout.backchannelHint')}
            </p>
            <input
              id="backchannel_logout_uri"
              name="backchannel_logout_uri"
              type="url"
              dir="ltr"
              value={v.backchannel_logout_uri}
              {...fieldAttrs(p, 'backchannel_logout_uri', 'backchannel_logout_uri-hint')}
            />
            <p class="check">
              <input
                id="backchannel_logout_session_required"
                name="backchannel_logout_session_required"
                type="checkbox"
                value="1"
                checked={v.backchannel_logout_session_required}
              />
              <label for="backchannel_logout_session_required">{t.t('logout.sessionRequired')}</label>
            </p>
          </details>
          <p class="check">
            <input id="first_party" name="first_party" type="checkbox" value="1" checked={v.first_party} />
            <label for="first_party">{t.t('apps.firstParty')}</label>
          </p>
          <p class="check">
            <input id="require_mfa" name="require_mfa" type="checkbox" value="1" checked={v.require_mfa} />
            <label for="require_mfa">{t.t('mfa.requireMfa')}</label>
          </p>
        </>
      ) : null}
    </>
  );
}

/** The wizard's second step: the app's settings, with the defaults of its type. */
export function NewAppFormPage(props: { frame: Frame; type: AppType; values: AppFormValues; idempotencyKey: string; problem?: FormProblem }): Html {
  const { scope, t } = props.frame;
  const title = t.t('apps.newOf', { type: t.t(`type.${props.type}` as ConsoleKey) });
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <FieldErrors frame={props.frame} problem={props.problem} labels={FIELD_LABELS} />
      <form method="post" action={scope.path(CONSOLE_PATHS.newApp)}>
        <Csrf frame={props.frame} />
        <input type="hidden" name="type" value={props.type} />
        <input type="hidden" name="idempotency_key" value={props.idempotencyKey} />
        <AppFields frame={props.frame} type={props.type} values={props.values} problem={props.problem} />
        <p class="actions">
          <button type="submit" class="primary">
            {t.t('apps.create')}
          </button>
          <a href={scope.path(CONSOLE_PATHS.newApp)}>{t.t('apps.back')}</a>
        </p>
      </form>
    </ConsoleLayout>
  );
}

/** A value with a copy button (the button is added by console.js; without it the text can be selected). */
export function Copyable(props: { id: string; label: string; value: string; copy: string; block?: boolean }): Html {
  return (
    <div class="copyable">
      <span class="label" id={`${props.id}-label`}>
        {props.label}
      </span>
      {props.block ? (
        <section aria-labelledby={`${props.id}-label`}>
          <pre class="code" dir="ltr" id={props.id} tabindex={0}>
            <code>{props.value}</code>
          </pre>
        </section>
      ) : (
        <code class="value" dir="ltr" id={props.id}>
          {props.value}
        </code>
      )}
      <button type="button" class="secondary small copy" data-copy={props.id} hidden>
        {props.copy}
      </button>
    </div>
  );
}

/** After a create or a rotation: the secret, this once, and what to paste into the app. */
export function AppCredentialsPage(props: { frame: Frame; app: ClientView; secret: string | undefined; rotated: boolean }): Html {
  const { scope, t } = props.frame;
  const { app } = props;
  const title = props.rotated ? t.t('apps.rotatedTitle') : t.t('apps.createdTitle', { name: app.client_name });
  const values: AppValues = {
    issuer: scope.url,
    clientId: app.client_id,
    secret: props.secret,
    redirectUri: app.redirect_uris[0],
    type: app.type,
    brand: scope.settings.brand.name,
  };
  const copy = t.t('action.copy');
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      {props.secret ? (
        <Notice kind="ok">{t.t('apps.secretOnce')}</Notice>
      ) : app.token_endpoint_auth_method === 'none' ? (
        <p class="muted">{t.t('apps.publicNoSecret')}</p>
      ) : (
        <Notice kind="error">{t.t('apps.secretGone')}</Notice>
      )}
      <Copyable id="client-id" label={t.t('apps.clientId')} value={app.client_id} copy={copy} />
      {props.secret ? <Copyable id="client-secret" label={t.t('apps.secret')} value={props.secret} copy={copy} /> : null}
      <h2>{t.t('apps.env')}</h2>
      <Copyable id="env" label=".env" value={envBlock(values)} copy={copy} block />
      <h2>{t.t('apps.snippets')}</h2>
      {snippets(values).map((s) => (
        <details>
          <summary>{s.title}</summary>
          <Copyable id={`snippet-${s.id}`} label={s.title} value={s.code} copy={copy} block />
        </details>
      ))}
      <p class="actions">
        <a class="button primary" href={scope.path(appPath(app.client_id))}>
          {t.t('apps.toDetail')}
        </a>
      </p>
    </ConsoleLayout>
  );
}

/** One app: every setting, editable; secret rotation; deletion. */
export function AppDetailPage(props: {
  frame: Frame;
  app: ClientView;
  etag: string;
  values: AppFormValues;
  problem?: FormProblem;
  notice?: ConsoleKey;
  canWrite: boolean;
  /** The redirect URI of "Try sign-in" (try-sign-in.ts). */
  tryUri: string;
}): Html {
  const { scope, t } = props.frame;
  const { app } = props;
  return (
    <ConsoleLayout frame={props.frame} title={app.client_name}>
      <h1 id="page-title">{app.client_name}</h1>
      {props.notice ? <Notice kind={props.notice === 'apps.stale' || props.notice === 'try.secretMissing' ? 'error' : 'ok'}>{t.t(props.notice)}</Notice> : null}
      <dl class="facts">
        <dt>{t.t('apps.clientId')}</dt>
        <dd>
          <code dir="ltr">{app.client_id}</code>
        </dd>
        <dt>{t.t('apps.type')}</dt>
        <dd>{t.t(`type.${app.type}` as ConsoleKey)}</dd>
        <dt>{t.t('apps.grantTypes')}</dt>
        <dd dir="ltr">{app.grant_types.join(', ')}</dd>
        <dt>{t.t('apps.auth')}</dt>
        <dd dir="ltr">{app.token_endpoint_auth_method}</dd>
        <dt>{t.t('apps.created')}</dt>
        <dd>{t.dateTime(Math.floor(Date.parse(app.created_at) / 1000))}</dd>
      </dl>
      <h2>{t.t('apps.settings')}</h2>
      <FieldErrors frame={props.frame} problem={props.problem} labels={FIELD_LABELS} />
      <form method="post" action={scope.path(appPath(app.client_id))}>
        <Csrf frame={props.frame} />
        <input type="hidden" name="etag" value={props.etag} />
        <fieldset disabled={!props.canWrite}>
          <AppFields frame={props.frame} type={app.type} values={props.values} problem={props.problem} />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('action.save')}
            </button>
          </p>
        </fieldset>
      </form>
      {props.canWrite && app.token_endpoint_auth_method !== 'none' ? (
        <section class="panel">
          <h2>{t.t('apps.rotate')}</h2>
          <p>{t.t('apps.rotateText')}</p>
          <form method="post" action={scope.path(appPath(app.client_id, '/secret'))}>
            <Csrf frame={props.frame} />
            <label for="overlap">{t.t('apps.overlap')}</label>
            <select id="overlap" name="overlap_seconds">
              <option value="0">{t.t('apps.overlapNone')}</option>
              <option value="3600">{t.t('apps.overlapHour')}</option>
              <option value="86400" selected>
                {t.t('apps.overlapDay')}
              </option>
              <option value="604800">{t.t('apps.overlapWeek')}</option>
            </select>
            <p class="actions">
              <button type="submit" class="secondary">
                {t.t('apps.rotateButton')}
              </button>
            </p>
          </form>
        </section>
      ) : null}
      {props.canWrite ? <TryPanel frame={props.frame} app={app} tryUri={props.tryUri} /> : null}
      {props.canWrite ? (
        <section class="panel danger">
          <h2>{t.t('apps.delete')}</h2>
          <p>{t.t('apps.deleteText')}</p>
          <form method="post" action={scope.path(appPath(app.client_id, '/delete'))}>
            <Csrf frame={props.frame} />
            <p class="check">
              <input id="confirm-delete" name="confirm" type="checkbox" value="1" required {...fieldAttrs(props.problem, 'confirm-delete')} />
              <label for="confirm-delete">{t.t('apps.deleteConfirm', { name: app.client_name })}</label>
            </p>
            <p class="actions">
              <button type="submit" class="danger">
                {t.t('apps.deleteButton')}
              </button>
            </p>
          </form>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}

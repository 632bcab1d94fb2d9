/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import { ListHead } from './list-head.js';
import { type PageNotice, PageNoticeOf } from './page-notice.js';

/** What the Admin API answers for the issuer's configuration (admin/api/claims.ts). */
export interface ApiRow {
  identifier: string;
  name: string;
  scopes: { name: string; description: string }[];
  access_token_ttl: number | null;
  claims: string[];
}
export interface ScopeRow {
  name: string;
  descriptions: Record<string, string>;
  claims: string[];
  optional: boolean;
  id_token: boolean;
}
export interface AttributeRow {
  name: string;
  target: 'user' | 'organization';
  schema: Record<string, unknown>;
  description: string;
}

export type { PageNotice } from './page-notice.js';

function DeleteButton(props: { frame: Frame; action: string; name: string; fields: Record<string, string> }): Html {
  const { scope, t } = props.frame;
  return (
    <form method="post" action={scope.path(props.action)} class="inline">
      <Csrf frame={props.frame} />
      {Object.entries(props.fields).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class="secondary small" aria-label={t.t('claims.deleteLabel', { name: props.name })}>
        {t.t('claims.delete')}
      </button>
    </form>
  );
}

/** The issuer's APIs, own scopes and attribute definitions, with the forms that add them. */
export function ClaimsPage(props: {
  frame: Frame;
  apis: ApiRow[];
  scopes: ScopeRow[];
  attributes: AttributeRow[];
  canWrite: boolean;
  notice?: PageNotice;
}): Html {
  const { frame } = props;
  const { scope, t } = frame;
  const title = t.t('claims.title');
  const action = CONSOLE_PATHS.apis;
  return (
    <ConsoleLayout frame={frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <PageNoticeOf notice={props.notice} />
      <p class="muted">{t.t('claims.intro')}</p>

      <h2>{t.t('claims.apis')}</h2>
      {props.apis.length === 0 ? (
        <p>{t.t('claims.noApis')}</p>
      ) : (
        <table class="list" id="apis">
          <ListHead
            columns={[t.t('claims.name'), t.t('claims.identifier'), t.t('claims.scopes'), t.t('claims.ttl'), t.t('claims.claims')]}
            actions={props.canWrite}
          />
          <tbody>
            {props.apis.map((a) => (
              <tr>
                <td>{a.name}</td>
                <td>
                  <code dir="ltr">{a.identifier}</code>
                </td>
                <td>
                  {a.scopes.map((s) => (
                    <div>
                      <code dir="ltr">{s.name}</code> {s.description}
                    </div>
                  ))}
                </td>
                <td>{a.access_token_ttl === null ? t.t('claims.default') : t.number(a.access_token_ttl)}</td>
                <td>
                  <code dir="ltr">{a.claims.join(' ')}</code>
                </td>
                {props.canWrite ? (
                  <td>
                    <DeleteButton frame={frame} action={`${action}/delete`} name={a.name} fields={{ kind: 'api', name: a.identifier }} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canWrite ? (
        <form method="post" action={scope.path(`${action}/api`)} id="api-form">
          <Csrf frame={frame} />
          <h3>{t.t('claims.addApi')}</h3>
          <label for="api-identifier">{t.t('claims.identifier')}</label>
          <input id="api-identifier" name="identifier" type="url" required maxlength={500} dir="ltr" />
          <label for="api-name">{t.t('claims.name')}</label>
          <input id="api-name" name="name" required maxlength={200} />
          <label for="api-scopes">{t.t('claims.scopes')}</label>
          <textarea id="api-scopes" name="scopes" rows={3} dir="ltr" aria-describedby="api-scopes-hint" />
          <p class="hint" id="api-scopes-hint">
            {t.t('claims.scopesHint')}
          </p>
          <label for="api-ttl">{t.t('claims.ttl')}</label>
          <input id="api-ttl" name="ttl" inputmode="numeric" pattern="[0-9]*" maxlength={6} aria-describedby="api-ttl-hint" />
          <p class="hint" id="api-ttl-hint">
            {t.t('claims.ttlHint')}
          </p>
          <label for="api-claims">{t.t('claims.claims')}</label>
          <input id="api-claims" name="claims" maxlength={1000} dir="ltr" aria-describedby="api-claims-hint" />
          <p class="hint" id="api-claims-hint">
            {t.t('claims.claimsHint')}
          </p>
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('claims.addApiButton')}
            </button>
          </p>
        </form>
      ) : null}

      <h2>{t.t('claims.customScopes')}</h2>
      {props.scopes.length === 0 ? (
        <p>{t.t('claims.noScopes')}</p>
      ) : (
        <table class="list" id="scopes">
          <ListHead columns={[t.t('claims.name'), t.t('claims.description'), t.t('claims.claims'), t.t('claims.consent')]} actions={props.canWrite} />
          <tbody>
            {props.scopes.map((s) => (
              <tr>
                <td>
                  <code dir="ltr">{s.name}</code>
                </td>
                <td>{s.descriptions[t.locale] ?? s.descriptions.en}</td>
                <td>
                  <code dir="ltr">{s.claims.join(' ')}</code>
                </td>
                <td>{s.optional ? t.t('claims.optional') : t.t('claims.required')}</td>
                {props.canWrite ? (
                  <td>
                    <DeleteButton frame={frame} action={`${action}/delete`} name={s.name} fields={{ kind: 'scope', name: s.name }} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canWrite ? (
        <form method="post" action={scope.path(`${action}/scope`)} id="scope-form">
          <Csrf frame={frame} />
          <h3>{t.t('claims.addScope')}</h3>
          <label for="scope-name">{t.t('claims.name')}</label>
          <input id="scope-name" name="name" required maxlength={64} dir="ltr" />
          <label for="scope-description">{t.t('claims.description')}</label>
          <input id="scope-description" name="description" required maxlength={300} lang="en" />
          <label for="scope-claims">{t.t('claims.claims')}</label>
          <input id="scope-claims" name="claims" maxlength={1000} dir="ltr" aria-describedby="scope-claims-hint" />
          <p class="hint" id="scope-claims-hint">
            {t.t('claims.claimsHint')}
          </p>
          <p>
            <input type="checkbox" id="scope-required" name="required" value="1" /> <label for="scope-required">{t.t('claims.requiredLabel')}</label>
          </p>
          <p>
            <input type="checkbox" id="scope-id-token" name="id_token" value="1" /> <label for="scope-id-token">{t.t('claims.idToken')}</label>
          </p>
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('claims.addScopeButton')}
            </button>
          </p>
        </form>
      ) : null}

      <h2>{t.t('claims.attributes')}</h2>
      {props.attributes.length === 0 ? (
        <p>{t.t('claims.noAttributes')}</p>
      ) : (
        <table class="list" id="attributes">
          <ListHead columns={[t.t('claims.name'), t.t('claims.target'), t.t('claims.schema')]} actions={props.canWrite} />
          <tbody>
            {props.attributes.map((a) => (
              <tr>
                <td>
                  <code dir="ltr">{a.name}</code>
                </td>
                <td>{a.target === 'user' ? t.t('claims.targetUser') : t.t('claims.targetOrganization')}</td>
                <td>
                  <code dir="ltr">{JSON.stringify(a.schema)}</code>
                </td>
                {props.canWrite ? (
                  <td>
                    <DeleteButton frame={frame} action={`${action}/delete`} name={a.name} fields={{ kind: 'attribute', name: a.name }} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canWrite ? (
        <form method="post" action={scope.path(`${action}/attribute`)} id="attribute-form">
          <Csrf frame={frame} />
          <h3>{t.t('claims.addAttribute')}</h3>
          <label for="attribute-name">{t.t('claims.name')}</label>
          <input id="attribute-name" name="name" required maxlength={64} dir="ltr" />
          <label for="attribute-target">{t.t('claims.target')}</label>
          <select id="attribute-target" name="target">
            <option value="user">{t.t('claims.targetUser')}</option>
            <option value="organization">{t.t('claims.targetOrganization')}</option>
          </select>
          <label for="attribute-schema">{t.t('claims.schema')}</label>
          <textarea id="attribute-schema" name="schema" rows={5} required dir="ltr" />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('claims.addAttributeButton')}
            </button>
          </p>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

/** One user's attributes: their values, a form that sets one (checked against its schema), and removal. */
export function UserAttributesPage(props: {
  frame: Frame;
  user: { id: string; email: string };
  values: Record<string, unknown>;
  attributes: AttributeRow[];
  canWrite: boolean;
  notice?: PageNotice;
}): Html {
  const { frame } = props;
  const { scope, t } = frame;
  const title = t.t('claims.userTitle', { email: props.user.email });
  const base = `${CONSOLE_PATHS.users}/${encodeURIComponent(props.user.id)}/attributes`;
  const entries = Object.entries(props.values);
  const defined = props.attributes.filter((a) => a.target === 'user');
  return (
    <ConsoleLayout frame={frame} title={title}>
      <p>
        <a href={scope.path(`${CONSOLE_PATHS.users}/${encodeURIComponent(props.user.id)}`)}>{t.t('claims.back')}</a>
      </p>
      <h1 id="page-title">{title}</h1>
      <PageNoticeOf notice={props.notice} />
      {entries.length === 0 ? (
        <p>{t.t('claims.userNone')}</p>
      ) : (
        <table class="list" id="user-attributes">
          <ListHead columns={[t.t('claims.name'), t.t('claims.value')]} actions={props.canWrite} />
          <tbody>
            {entries.map(([name, value]) => (
              <tr>
                <td>
                  <code dir="ltr">{name}</code>
                </td>
                <td>
                  <code dir="ltr">{JSON.stringify(value)}</code>
                </td>
                {props.canWrite ? (
                  <td>
                    <form method="post" action={scope.path(`${base}/unset`)} class="inline">
                      <Csrf frame={frame} />
                      <input type="hidden" name="name" value={name} />
                      <button type="submit" class="secondary small" aria-label={t.t('claims.unsetLabel', { name })}>
                        {t.t('claims.unset')}
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canWrite && defined.length === 0 ? <p class="muted">{t.t('claims.noUserAttributes')}</p> : null}
      {props.canWrite && defined.length > 0 ? (
        <form method="post" action={scope.path(base)} id="attribute-set-form">
          <Csrf frame={frame} />
          <h2>{t.t('claims.set')}</h2>
          <label for="set-name">{t.t('claims.name')}</label>
          <select id="set-name" name="name">
            {defined.map((a) => (
              <option value={a.name}>{a.name}</option>
            ))}
          </select>
          <label for="set-value">{t.t('claims.value')}</label>
          <textarea id="set-value" name="value" rows={4} required dir="ltr" />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('claims.setButton')}
            </button>
          </p>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}

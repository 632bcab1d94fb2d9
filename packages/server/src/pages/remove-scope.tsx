/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_APPS_PATH, REMOVE_SCOPE_PATH } from '../account/paths.js';
import type { ApiRegistry } from '../claims/registries.js';
import { shownClientName } from './client-name.js';
import { type Html, Layout, type PageProps } from './layout.js';
import { describeScope } from './scope-text.js';

export interface RemoveScopeInput {
  csrf: string;
  grantId: string;
  scope: string;
  app: { id: string; name: string };
  /** Whether removing it removes the app's whole access (openid, or its last scope). */
  endsAccess: boolean;
  /** The issuer's APIs and own scopes (claims/), so theirs are described as on the consent page. */
  apis: ApiRegistry;
}

/** "Remove this permission from …?": the removal happens only when this form is sent with `confirm=yes`. */
export function RemoveScopePage(props: PageProps & RemoveScopeInput): Html {
  const { site, t } = props;
  const app = shownClientName(t, props.app);
  return (
    <Layout site={site} t={t} title={t.t('scopeRevoke.title')}>
      <h1 id="page-title">{t.t('scopeRevoke.heading', { app })}</h1>
      <p id="scope-explain">{t.t('scopeRevoke.explain', { app, scope: describeScope(t, props.scope, props.apis) })}</p>
      {props.endsAccess ? <p id="scope-ends-access">{t.t('scopeRevoke.explainAll', { app })}</p> : null}
      <form method="post" action={t.carry(site.path(REMOVE_SCOPE_PATH))} id="confirm-remove-scope-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="grant" value={props.grantId} />
        <input type="hidden" name="scope" value={props.scope} />
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class="primary" id="confirm-remove-scope" autofocus>
            {t.t('scopeRevoke.confirm')}
          </button>
          <a href={t.carry(site.path(ACCOUNT_APPS_PATH))} class="button" id="keep-scope">
            {t.t('scopeRevoke.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { REMOVE_SCOPE_PATH } from '../account/paths.js';
import type { ApiRegistry } from '../claims/registries.js';
import { shownClientName } from './client-name.js';
import { ConfirmRemoveForm } from './confirm-remove-form.js';
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
      <ConfirmRemoveForm
        site={site}
        t={t}
        action={REMOVE_SCOPE_PATH}
        csrf={props.csrf}
        fields={{ grant: props.grantId, scope: props.scope }}
        ids={{ form: 'confirm-remove-scope-form', confirm: 'confirm-remove-scope', cancel: 'keep-scope' }}
        text={{ confirm: t.t('scopeRevoke.confirm'), cancel: t.t('scopeRevoke.cancel') }}
      />
    </Layout>
  );
}

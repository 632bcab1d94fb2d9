/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_APPS_PATH, REMOVE_ACCESS_PATH } from '../account/paths.js';
import { type Html, Layout, type PageProps } from './layout.js';

/** "Remove access for …?": the removal happens only when this form is sent with `confirm=yes`. */
export function RemoveAccessPage(props: PageProps & { csrf: string; grantId: string; appName: string }): Html {
  const { site, t, appName } = props;
  return (
    <Layout site={site} t={t} title={t.t('remove.title')}>
      <h1 id="page-title">{t.t('remove.heading', { app: appName })}</h1>
      <p>{t.t('remove.explain', { app: appName })}</p>
      <form method="post" action={t.carry(site.path(REMOVE_ACCESS_PATH))} id="confirm-remove-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="grant" value={props.grantId} />
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class="primary" id="confirm-remove" autofocus>
            {t.t('remove.confirm')}
          </button>
          <a href={t.carry(site.path(ACCOUNT_APPS_PATH))} class="button" id="keep-access">
            {t.t('remove.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { REMOVE_ACCESS_PATH } from '../account/paths.js';
import { ConfirmRemoveForm } from './confirm-remove-form.js';
import { type Html, Layout, type PageProps } from './layout.js';

/** "Remove access for …?": the removal happens only when this form is sent with `confirm=yes`. */
export function RemoveAccessPage(props: PageProps & { csrf: string; grantId: string; appName: string }): Html {
  const { site, t, appName } = props;
  return (
    <Layout site={site} t={t} title={t.t('remove.title')}>
      <h1 id="page-title">{t.t('remove.heading', { app: appName })}</h1>
      <p>{t.t('remove.explain', { app: appName })}</p>
      <ConfirmRemoveForm
        site={site}
        t={t}
        action={REMOVE_ACCESS_PATH}
        csrf={props.csrf}
        fields={{ grant: props.grantId }}
        ids={{ form: 'confirm-remove-form', confirm: 'confirm-remove', cancel: 'keep-access' }}
        text={{ confirm: t.t('remove.confirm'), cancel: t.t('remove.cancel') }}
      />
    </Layout>
  );
}

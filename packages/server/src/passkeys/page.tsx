/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import { type Html, Layout, type PageProps } from '../pages/layout.js';
import type { Text } from '../pages/translator.js';

/** The passkeys page of the account (the security page shows the same section among the others). */
export function PasskeysPage(props: PageProps & { userEmail: string; section: Child; notice?: Text | undefined }): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('passkeys.title')} localTimes>
      <h1 id="page-title">{t.t('passkeys.title')}</h1>
      <p class="muted">{t.t('common.signedInAs', { email: props.userEmail })}</p>
      {props.notice ? (
        <p class="notice" role="status" id="notice">
          {t.say(props.notice)}
        </p>
      ) : null}
      {props.section}
      <p>
        <a href={t.carry(site.path(ACCOUNT_APPS_PATH))} id="back-to-account">
          {t.t('passkeys.back')}
        </a>
      </p>
    </Layout>
  );
}

/** "Add a passkey?" right after sign-up: the add form, and "Not now" to where the sign-up goes on. */
export function OfferPasskeyPage(props: PageProps & { form: Child; skip: string }): Html {
  const { t } = props;
  return (
    <Layout site={props.site} t={t} title={t.t('passkeys.offerTitle')}>
      <h1 id="page-title">{t.t('passkeys.offerTitle')}</h1>
      <p>{t.t('passkeys.offerText')}</p>
      {props.form}
      <p>
        <a href={props.skip} id="skip-passkey">
          {t.t('passkeys.skip')}
        </a>
      </p>
    </Layout>
  );
}

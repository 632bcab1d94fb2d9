/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Html, Layout, type PageProps } from './layout.js';

/** Asked when a logout request cannot prove it comes from an app the user signed in to. */
export function LogoutConfirmPage(props: PageProps & { token: string; clientName: string | undefined; userEmail: string }): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('logout.title')}>
      <h1 id="page-title">{t.t('logout.heading', { brand: site.settings.brand.name })}</h1>
      <p class="muted" id="signed-in-as">
        {t.t('common.signedInAs', { email: props.userEmail })}
      </p>
      {props.clientName ? (
        <p class="muted" id="asked-by">
          {t.t('logout.asked', { client: props.clientName })}
        </p>
      ) : null}
      <form method="post" action={t.carry(site.path('/oauth/logout/confirm'))} id="logout-form">
        <input type="hidden" name="logout_token" value={props.token} />
        <div class="actions">
          <button type="submit" name="decision" value="logout" class="primary" id="logout">
            {t.t('logout.confirm')}
          </button>
          <button type="submit" name="decision" value="stay" class="secondary" id="stay">
            {t.t('logout.stay')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function SignedOutPage(props: PageProps & { signedOut: boolean }): Html {
  const { site, t } = props;
  const title = props.signedOut ? t.t('signedOut.title') : t.t('signedOut.stillIn');
  return (
    <Layout site={site} t={t} title={title}>
      <h1 id="page-title">{title}</h1>
      <p>{t.t('signedOut.close')}</p>
      {/* A way back: the account page, which is the sign-in form when no one is signed in. */}
      <p>
        <a href={t.carry(site.path('/account/apps'))} id="way-back">
          {props.signedOut ? t.t('signedOut.signIn') : t.t('signedOut.account')}
        </a>
      </p>
    </Layout>
  );
}

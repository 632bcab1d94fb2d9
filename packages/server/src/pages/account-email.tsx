/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import { EMAIL_CHANGE_PATH } from '../signup/paths.js';
import { type Html, Layout, type PageProps } from './layout.js';
import type { Text } from './translator.js';

export interface EmailChangePageInput {
  userEmail: string;
  csrf: string;
  /** False when the sign-in is too old to change the address: the page asks to sign in again. */
  recent: boolean;
  email?: string | undefined;
  error?: Text | undefined;
}

/**
 * "Change your email" for the signed-in person: field `email` (the new address), posted with
 * `csrf` to EMAIL_CHANGE_PATH. The address changes only once the new one is verified.
 */
export function EmailChangePage(props: PageProps & EmailChangePageInput): Html {
  const { site, t, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('signup.email.title')}>
      <h1 id="page-title">{t.t('signup.email.title')}</h1>
      <p class="muted">{t.t('signup.email.now', { email: props.userEmail })}</p>
      {error ? (
        <p class="error" role="alert" id="form-error" tabindex={-1} autofocus>
          {t.say(error)}
        </p>
      ) : null}
      {props.recent ? (
        <form method="post" action={t.carry(site.path(EMAIL_CHANGE_PATH))} id="email-change-form" novalidate>
          <input type="hidden" name="csrf" value={props.csrf} />
          <p>{t.t('signup.email.explain')}</p>
          <label for="email">{t.t('signup.email.new')}</label>
          <input
            type="email"
            id="email"
            name="email"
            autocomplete="email"
            required
            maxlength={320}
            value={props.email ?? ''}
            aria-describedby={error ? 'form-error' : undefined}
            autofocus={!error}
          />
          <div class="actions">
            <button type="submit" class="primary" id="send-code">
              {t.t('signup.email.submit')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>{t.t('signup.email.recent')}</p>
          <p>
            <a href={t.carry(`${site.path(EMAIL_CHANGE_PATH)}?reauth=1`)} id="sign-in-again" class="button">
              {t.t('signup.email.reauth')}
            </a>
          </p>
        </>
      )}
      <p>
        <a href={t.carry(site.path(ACCOUNT_APPS_PATH))} id="back-to-account">
          {t.t('signup.email.back')}
        </a>
      </p>
    </Layout>
  );
}

/** The address was changed: where mail goes now, and the way back to the account. */
export function EmailChangedPage(props: PageProps & { email: string }): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('signup.email.changed.title')}>
      <h1 id="page-title">{t.t('signup.email.changed.title')}</h1>
      <p role="status">{t.t('signup.email.changed', { email: props.email })}</p>
      <p>
        <a href={t.carry(site.path(ACCOUNT_APPS_PATH))} id="back-to-account">
          {t.t('signup.email.back')}
        </a>
      </p>
    </Layout>
  );
}

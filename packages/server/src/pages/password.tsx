/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import { PASSWORD_MIN } from '../auth/password-policy.js';
import { FORGOT_PATH, RESET_LINK_TTL, RESET_PATH } from '../password/paths.js';
import { NewPasswordInput } from './form-fields.js';
import { type Html, Layout, type PageProps } from './layout.js';
import type { Text, Translator } from './translator.js';

const LINK_MINUTES = RESET_LINK_TTL / 60;

function ErrorLine(props: { t: Translator; error: Text | undefined }): Html | null {
  return props.error ? (
    <p class="error" role="alert" id="form-error">
      {props.t.say(props.error)}
    </p>
  ) : null;
}

/** "Forgot your password?": one field, `email`, posted to FORGOT_PATH with `csrf`. */
export function ForgotPasswordPage(
  props: PageProps & { csrf: string; email?: string | undefined; error?: Text | undefined; returnTo?: string | undefined },
): Html {
  const { site, t, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('forgot.title')}>
      <h1 id="page-title">{t.t('forgot.title')}</h1>
      <p class="muted">{t.t('forgot.intro')}</p>
      <ErrorLine t={t} error={error} />
      <form method="post" action={t.carry(site.path(FORGOT_PATH))} id="forgot-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        {props.returnTo ? <input type="hidden" name="return" value={props.returnTo} /> : null}
        <label for="email">{t.t('common.email')}</label>
        <input
          type="email"
          id="email"
          name="email"
          autocomplete="username"
          required
          value={props.email ?? ''}
          aria-describedby={error ? 'form-error' : undefined}
          autofocus={!error}
        />
        <div class="actions">
          <button type="submit" class="primary" id="send-link">
            {t.t('forgot.submit')}
          </button>
        </div>
      </form>
      {/* Back to the sign-in it was asked from, else to the account page's own sign-in. */}
      <p>
        <a href={t.carry(site.path(props.returnTo ? `/interaction/${props.returnTo}` : '/account/apps'))} id="back-to-sign-in">
          {t.t('forgot.back')}
        </a>
      </p>
    </Layout>
  );
}

/** The one answer to a request for a link, whatever became of it. */
export function ResetLinkSentPage(props: PageProps): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('sent.title')}>
      <h1 id="page-title">{t.t('sent.title')}</h1>
      <p role="status" id="reset-requested">
        {t.t('sent.text', { count: LINK_MINUTES })}
      </p>
      <p class="muted">{t.rich('sent.again', { link: <a href={t.carry(site.path(FORGOT_PATH))}>{t.t('sent.askAgain')}</a> })}</p>
    </Layout>
  );
}

/** The new password, twice (`password`, `confirm`), with the link's `token` and `csrf`. */
export function ResetPasswordPage(props: PageProps & { csrf: string; token: string; error?: Text | undefined }): Html {
  const { site, t, error } = props;
  return (
    <Layout site={site} t={t} title={t.t('reset.title')}>
      <h1 id="page-title">{t.t('reset.title')}</h1>
      <p class="muted">{t.t('reset.intro', { count: PASSWORD_MIN })}</p>
      <ErrorLine t={t} error={error} />
      <form method="post" action={t.carry(site.path(RESET_PATH))} id="reset-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <label for="password">{t.t('common.newPassword')}</label>
        <NewPasswordInput id="password" describedBy={error ? 'form-error' : undefined} />
        <label for="confirm">{t.t('reset.again')}</label>
        <NewPasswordInput id="confirm" />
        <div class="actions">
          <button type="submit" class="primary" id="set-password">
            {t.t('reset.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** A link that is unknown, used or expired: all look the same. */
export function ResetLinkInvalidPage(props: PageProps): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('invalid.title')}>
      <h1 id="page-title">{t.t('invalid.heading')}</h1>
      <p role="alert" id="link-invalid">
        {t.t('invalid.text', { count: LINK_MINUTES })}
      </p>
      <p>
        <a href={t.carry(site.path(FORGOT_PATH))} id="ask-again">
          {t.t('invalid.askAgain')}
        </a>
      </p>
    </Layout>
  );
}

/** Where "continue" leads after a new password, and to whom (password/return-to.ts). */
export interface ContinueSignIn {
  href: string;
  /** The app's name; undefined for the account pages' own sign-in. */
  clientName: string | undefined;
}

/** After a new password; `next` leads back to the sign-in the reset was asked from. */
export function PasswordChangedPage(props: PageProps & { next?: ContinueSignIn | undefined }): Html {
  const { site, t, next } = props;
  return (
    <Layout site={site} t={t} title={t.t('changed.title')}>
      <h1 id="page-title">{t.t('changed.title')}</h1>
      <p role="status" id="password-changed">
        {t.t('changed.text')}
      </p>
      {next ? (
        <p>
          <a href={next.href} class="button primary" id="continue-sign-in">
            {next.clientName === undefined ? t.t('changed.toAccount') : t.t('changed.toClient', { client: next.clientName })}
          </a>
        </p>
      ) : (
        <p class="muted">{t.rich('changed.elsewhere', { link: <a href={t.carry(site.path(ACCOUNT_APPS_PATH))}>{t.t('changed.openAccount')}</a> })}</p>
      )}
    </Layout>
  );
}

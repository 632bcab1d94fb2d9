/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_APPS_PATH, CHANGE_PASSWORD_PATH } from '../account/paths.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password-policy.js';
import { AccountNav } from './account-frame.js';
import { type Html, Layout, type PageProps } from './layout.js';
import type { Text } from './translator.js';

export interface ChangePasswordPageInput {
  userEmail: string;
  csrf: string;
  error?: Text | undefined;
}

/**
 * "Change your password" for the signed-in person: fields `current`, `password` and `confirm`,
 * posted with `csrf` to CHANGE_PASSWORD_PATH.
 */
export function ChangePasswordPage(props: PageProps & ChangePasswordPageInput): Html {
  const { site, t, error } = props;
  const described = error ? 'form-error' : undefined;
  return (
    <Layout site={site} t={t} title={t.t('changePassword.title')}>
      <AccountNav site={site} t={t} current="security" />
      <h1 id="page-title">{t.t('changePassword.title')}</h1>
      <p class="muted">{t.t('common.signedInAs', { email: props.userEmail })}</p>
      {error ? (
        <p class="error" role="alert" id="form-error">
          {t.say(error)}
        </p>
      ) : null}
      <form method="post" action={t.carry(site.path(CHANGE_PASSWORD_PATH))} id="change-password-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="email" name="username" autocomplete="username" value={props.userEmail} hidden readonly />
        <label for="current">{t.t('changePassword.current')}</label>
        <input type="password" id="current" name="current" autocomplete="current-password" required aria-describedby={described} />
        <label for="password">{t.t('common.newPassword')}</label>
        <input
          type="password"
          id="password"
          name="password"
          autocomplete="new-password"
          required
          minlength={PASSWORD_MIN}
          maxlength={PASSWORD_MAX}
          aria-describedby={described}
        />
        <p class="muted">{t.t('password.atLeast', { count: PASSWORD_MIN })}</p>
        <label for="confirm">{t.t('changePassword.again')}</label>
        <input type="password" id="confirm" name="confirm" autocomplete="new-password" required aria-describedby={described} />
        <div class="actions">
          <button type="submit" class="primary" id="change-password">
            {t.t('changePassword.submit')}
          </button>
        </div>
      </form>
      <p class="muted">
        {t.t('changePassword.others')}{' '}
        <a href={t.carry(site.path(ACCOUNT_APPS_PATH))} id="back-to-account">
          {t.t('changePassword.back')}
        </a>
      </p>
    </Layout>
  );
}

import { html } from 'hono/html';
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import type { Site } from './site.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password-policy.js';
import { FORGOT_PATH, RESET_LINK_TTL, RESET_PATH } from '../password/paths.js';
import { type Html, layout } from './layout.js';

function errorLine(error: string | undefined): Html | string {
  return error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : '';
}

/** "Forgot your password?": one field, `email`, posted to FORGOT_PATH with `csrf`. */
export function forgotPasswordPage(site: Site, input: { csrf: string; email?: string | undefined; error?: string | undefined; returnTo?: string | undefined }): Html {
  return layout(
    site,
    'Reset your password',
    html`<h1 id="page-title">Reset your password</h1>
      <p class="muted">Enter the email address of your account. We will send you a link to choose a new password.</p>
      ${errorLine(input.error)}
      <form method="post" action="${site.path(FORGOT_PATH)}" id="forgot-form" novalidate>
        <input type="hidden" name="csrf" value="${input.csrf}" />
        ${input.returnTo ? html`<input type="hidden" name="return" value="${input.returnTo}" />` : ''}
        <label for="email">Email</label>
        <input type="email" id="email" name="email" autocomplete="username" required value="${input.email ?? ''}"
          ${input.error ? html`aria-describedby="form-error"` : ''} />
        <div class="actions">
          <button type="submit" class="primary" id="send-link">Send the link</button>
        </div>
      </form>`,
  );
}

/** The one answer to a request for a link, whatever became of it. */
export function resetLinkSentPage(site: Site): Html {
  return layout(
    site,
    'Check your email',
    html`<h1 id="page-title">Check your email</h1>
      <p role="status" id="reset-requested">If an account exists for that address, we have sent a link to reset its password. It expires in ${RESET_LINK_TTL / 60} minutes.</p>
      <p class="muted">Nothing arrived? Check your spam folder, or <a href="${site.path(FORGOT_PATH)}">ask again</a>.</p>`,
  );
}

/** The new password, twice (`password`, `confirm`), with the link's `token` and `csrf`. */
export function resetPasswordPage(site: Site, input: { csrf: string; token: string; error?: string | undefined }): Html {
  return layout(
    site,
    'Choose a new password',
    html`<h1 id="page-title">Choose a new password</h1>
      <p class="muted">At least ${PASSWORD_MIN} characters. Every device signed in to your account will be signed out.</p>
      ${errorLine(input.error)}
      <form method="post" action="${site.path(RESET_PATH)}" id="reset-form" novalidate>
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <input type="hidden" name="token" value="${input.token}" />
        <label for="password">New password</label>
        <input type="password" id="password" name="password" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}"
          ${input.error ? html`aria-describedby="form-error"` : ''} />
        <label for="confirm">New password again</label>
        <input type="password" id="confirm" name="confirm" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}" />
        <div class="actions">
          <button type="submit" class="primary" id="set-password">Set the new password</button>
        </div>
      </form>`,
  );
}

/** A link that is unknown, used or expired: all look the same. */
export function resetLinkInvalidPage(site: Site): Html {
  return layout(
    site,
    'Link no longer valid',
    html`<h1 id="page-title">This link is no longer valid</h1>
      <p role="alert" id="link-invalid">Password reset links work once, for ${RESET_LINK_TTL / 60} minutes. This one has expired or was already used.</p>
      <p><a href="${site.path(FORGOT_PATH)}" id="ask-again">Ask for a new link</a></p>`,
  );
}

/** After a new password; `next` leads back to the sign-in the reset was asked from. */
export function passwordChangedPage(site: Site, next?: { href: string; label: string }): Html {
  return layout(
    site,
    'Password changed',
    html`<h1 id="page-title">Password changed</h1>
      <p role="status" id="password-changed">Your password has been changed. Sign in with your new password.</p>
      ${next
        ? html`<p><a href="${next.href}" class="button primary" id="continue-sign-in">${next.label}</a></p>`
        : html`<p class="muted">Go back to the app you were using and sign in again, or <a href="${site.path(ACCOUNT_APPS_PATH)}">open your account</a>.</p>`}`,
  );
}

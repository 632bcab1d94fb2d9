import { html } from 'hono/html';
import { ACCOUNT_APPS_PATH, CHANGE_PASSWORD_PATH } from '../account/paths.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password-policy.js';
import type { Site } from './site.js';
import { type Html, layout } from './layout.js';

export interface ChangePasswordPageInput {
  userEmail: string;
  csrf: string;
  error?: string | undefined;
}

/**
 * "Change your password" for the signed-in person: fields `current`, `password` and `confirm`,
 * posted with `csrf` to CHANGE_PASSWORD_PATH.
 */
export function changePasswordPage(site: Site, input: ChangePasswordPageInput): Html {
  const described = input.error ? html`aria-describedby="form-error"` : '';
  return layout(
    site,
    'Change your password',
    html`<h1 id="page-title">Change your password</h1>
      <p class="muted">Signed in as ${input.userEmail}</p>
      ${input.error ? html`<p class="error" role="alert" id="form-error">${input.error}</p>` : ''}
      <form method="post" action="${site.path(CHANGE_PASSWORD_PATH)}" id="change-password-form" novalidate>
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <input type="email" name="username" autocomplete="username" value="${input.userEmail}" hidden readonly />
        <label for="current">Current password</label>
        <input type="password" id="current" name="current" autocomplete="current-password" required ${described} />
        <label for="password">New password</label>
        <input type="password" id="password" name="password" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}" ${described} />
        <p class="muted">At least ${PASSWORD_MIN} characters.</p>
        <label for="confirm">New password, again</label>
        <input type="password" id="confirm" name="confirm" autocomplete="new-password" required ${described} />
        <div class="actions">
          <button type="submit" class="primary" id="change-password">Change password</button>
        </div>
      </form>
      <p class="muted">Other browsers signed in to your account are signed out; apps you allowed keep their access.
        <a href="${site.path(ACCOUNT_APPS_PATH)}" id="back-to-account">Back to your account</a></p>`,
  );
}

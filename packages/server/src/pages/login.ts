import { html } from 'hono/html';
import type { Site } from './site.js';
import { FORGOT_PATH } from '../password/paths.js';
import { type Html, layout } from './layout.js';

export interface LoginPageInput {
  uid: string;
  csrf: string;
  /** The app the user signs in to; undefined for the account pages' own sign-in. */
  clientName?: string | undefined;
  email?: string | undefined;
  error?: string | undefined;
}

/**
 * The sign-in form: fields `email` and `password`, posted to /interaction/:uid/login. Without a
 * client it signs in to the account page, and has no app to cancel back to. With mail
 * configured it links to the password reset, which leads back here once the password is new.
 */
export function loginPage(site: Site, input: LoginPageInput): Html {
  const error = input.error ? html`<p class="error" role="alert" id="login-error">${input.error}</p>` : '';
  const purpose = input.clientName === undefined
    ? html`<p class="muted">to see and manage the apps that can use your account</p>`
    : html`<p class="muted">to continue to <strong>${input.clientName}</strong></p>`;
  const cancel = input.clientName === undefined
    ? ''
    : html`<form method="post" action="${site.path(`/interaction/${input.uid}/abort`)}" id="cancel-form">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <button type="submit" class="link" id="cancel">Cancel and return to ${input.clientName}</button>
      </form>`;
  return layout(
    site,
    'Sign in',
    html`<h1 id="page-title">Sign in</h1>
      ${purpose}
      ${error}
      <form method="post" action="${site.path(`/interaction/${input.uid}/login`)}" id="login-form" novalidate>
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <label for="email">Email</label>
        <input type="email" id="email" name="email" autocomplete="username" required value="${input.email ?? ''}"
          ${input.error ? html`aria-describedby="login-error"` : ''} />
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <div class="actions">
          <button type="submit" class="primary" id="sign-in">Sign in</button>
        </div>
      </form>
      ${site.services.config.mail ? html`<p><a href="${site.path(FORGOT_PATH)}?return=${input.uid}" id="forgot-password">Forgot your password?</a></p>` : ''}
      ${cancel}`,
  );
}

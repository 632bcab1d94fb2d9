import { html } from 'hono/html';
import type { AppWithAccess } from '../account/apps.js';
import { CHANGE_PASSWORD_PATH, REMOVE_ACCESS_PATH } from '../account/paths.js';
import type { Site } from './site.js';
import { type Html, layout } from './layout.js';
import { describeScope } from './scope-text.js';

export interface AccountAppsPageInput {
  userEmail: string;
  csrf: string;
  apps: AppWithAccess[];
  notice: string | undefined;
}

// Rendered on the server without JavaScript, so in one fixed zone, named on the page.
const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function when(seconds: number): Html {
  const date = new Date(seconds * 1000);
  return html`<time datetime="${date.toISOString()}">${DATE.format(date)} UTC</time>`;
}

function appItem(app: AppWithAccess, csrf: string, index: number): Html {
  const scopes = app.scopes.map((scope) => html`<li>${describeScope(scope)}</li>`);
  return html`<li class="app" id="app-${index}">
      <h2>${app.name}</h2>
      <p class="muted">It can:</p>
      <ul class="scopes">
        ${scopes}
      </ul>
      <p class="muted">Access granted ${when(app.grantedAt)}${app.lastUsedAt > app.grantedAt ? html`, last used ${when(app.lastUsedAt)}` : ''}</p>
      <form method="post" action="${REMOVE_ACCESS_PATH}" class="remove-form">
        <input type="hidden" name="csrf" value="${csrf}" />
        <input type="hidden" name="grant" value="${app.grantId}" />
        <button type="submit" class="secondary" aria-label="Remove access for ${app.name}">Remove access</button>
      </form>
    </li>`;
}

/**
 * The apps that can use the signed-in person's account, each with a "Remove access" form that
 * posts `csrf` and `grant`; a link to change the password; and a sign-out button (RP-initiated
 * logout, which asks to confirm).
 */
export function accountAppsPage(site: Site, input: AccountAppsPageInput): Html {
  const list = input.apps.length === 0
    ? html`<p id="no-apps">No apps can use your account right now. When you allow an app to sign you in, it shows up here.</p>`
    : html`<ul class="apps">
        ${input.apps.map((app, i) => appItem(app, input.csrf, i))}
      </ul>`;
  return layout(
    site,
    'Apps with access',
    html`<h1 id="page-title">Apps with access to your account</h1>
      <p class="muted">Signed in as ${input.userEmail}</p>
      ${input.notice ? html`<p class="notice" role="status" id="notice">${input.notice}</p>` : ''}
      ${list}
      <p><a href="${site.path(CHANGE_PASSWORD_PATH)}" id="change-password-link">Change your password</a></p>
      <form method="post" action="${site.path('/oauth/logout')}" id="sign-out-form">
        <button type="submit" class="link" id="sign-out">Sign out</button>
      </form>`,
  );
}

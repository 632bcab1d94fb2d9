import { html } from 'hono/html';
import type { Site } from './site.js';
import { type Html, layout } from './layout.js';

/** Asked when a logout request cannot prove it comes from an app the user signed in to. */
export function logoutConfirmPage(site: Site, input: { token: string; clientName: string | undefined }): Html {
  return layout(
    site,
    'Sign out',
    html`<h1 id="page-title">Sign out of ${site.settings.brand.name}?</h1>
      ${input.clientName ? html`<p class="muted">${input.clientName} asked to sign you out.</p>` : ''}
      <form method="post" action="${site.path('/oauth/logout/confirm')}" id="logout-form">
        <input type="hidden" name="logout_token" value="${input.token}" />
        <div class="actions">
          <button type="submit" name="decision" value="logout" class="primary" id="logout">Sign out</button>
          <button type="submit" name="decision" value="stay" class="secondary" id="stay">Stay signed in</button>
        </div>
      </form>`,
  );
}

export function signedOutPage(site: Site, signedOut: boolean): Html {
  const title = signedOut ? 'You have signed out' : 'You are still signed in';
  return layout(site, title, html`<h1 id="page-title">${title}</h1><p>You can close this window.</p>`);
}

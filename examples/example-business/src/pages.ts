import { type Html, html } from './html.js';
import { ACR_TWO_FACTORS } from './context.js';
import type { StoredProfile } from './session.js';

function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${title} · Example Business</title>
  <link rel="stylesheet" href="/static/style.css" />
</head>
<body>
  <header><a href="/" class="brand">Example Business</a></header>
  <main>${body}</main>
</body>
</html>`.toString();
}

export function homePage(input: { profile?: StoredProfile; signedOut: boolean }): string {
  const { profile, signedOut } = input;
  const notice = signedOut ? html`<p class="notice" id="signed-out" role="status">You have signed out.</p>` : '';
  const action = profile
    ? html`<p id="signed-in-as">Signed in as <strong>${profile.name ?? profile.email ?? profile.sub}</strong>.</p>
      <p><a class="button" href="/dashboard" id="dashboard-link">Go to your dashboard</a></p>`
    : html`<p><a class="button" href="/api/auth/login/gatehouse" id="sign-in">Sign in with Gatehouse</a></p>`;
  return layout(
    'Welcome',
    html`${notice}
    <h1>Payments for small businesses</h1>
    <p>Sign in with your Gatehouse account to see your orders.</p>
    ${action}`,
  );
}

export function dashboardPage(input: { profile: StoredProfile; csrfToken: string }): string {
  const { profile, csrfToken } = input;
  return layout(
    'Dashboard',
    html`<h1>Welcome, ${profile.name ?? profile.email ?? 'there'}</h1>
    <dl id="profile">
      <dt>Name</dt><dd id="profile-name">${profile.name ?? '(not shared)'}</dd>
      <dt>Email</dt><dd id="profile-email">${profile.email ?? '(not shared)'}</dd>
      <dt>Subject (sub)</dt><dd id="profile-sub"><code>${profile.sub}</code></dd>
    </dl>
    ${assuranceSection(profile)}
    <section>
      <h2>Your orders</h2>
      <p>Loaded from this app's own API with your access token, which stays on the server.</p>
      <button type="button" id="load-orders">Load my orders</button>
      <ul id="orders"></ul>
    </section>
    <form method="post" action="/api/auth/logout" id="sign-out-form">
      <input type="hidden" name="csrf" value="${csrfToken}" />
      <button type="submit" id="sign-out">Sign out</button>
    </form>
    <script src="/static/dashboard.js" defer></script>`,
  );
}

/** How Gatehouse signed the user in, and the way to confirm with a second factor when it was one. */
function assuranceSection(profile: StoredProfile): Html {
  const twoFactors = profile.acr === ACR_TWO_FACTORS;
  return html`<section id="assurance">
      <h2>How you signed in</h2>
      <p id="assurance-level">${twoFactors ? 'With two factors.' : 'With one factor.'}</p>
      <p>Methods: <code id="assurance-methods">${(profile.amr ?? []).join(' ') || '(not given)'}</code></p>
      ${
        twoFactors
          ? ''
          : html`<p>Changing where your payouts go needs your second factor.</p>
      <p><a class="button" href="/api/auth/login/gatehouse?step_up=2fa" id="step-up">Confirm with your second factor</a></p>`
      }
    </section>`;
}

/** A readable failure page: what happened, and the way back. Never a stack trace. */
export function errorPage(title: string, message: string): string {
  return layout(
    title,
    html`<h1 id="error-title">${title}</h1>
    <p id="error-message">${message}</p>
    <p><a href="/" id="back-home">Back to the home page</a></p>`,
  );
}

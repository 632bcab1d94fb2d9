import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basicAuth } from '../../../packages/server/test/helpers/harness.js';
import { formIn } from '../../../packages/server/test/helpers/http-browser.js';
import { until } from '../../../packages/server/test/helpers/wait.js';
import { BACKCHANNEL_LOGOUT_PATH } from '../src/config.js';
import { Browser, signIn } from './helpers/browser.js';
import { PASSWORD, type Stack, sessionOf, sessions, startStack } from './helpers/stack.js';

// OpenID Connect Back-Channel Logout, end to end over HTTP: the app is registered with its
// back-channel logout URI (as `npm run example` registers it), the user signs out at Gatehouse
// (not in the app), Gatehouse POSTs a logout token to the app, and the app's session is gone:
// the next page is signed out and the refresh token it held no longer works.
let stack: Stack;

before(async () => {
  // The app listens on localhost: a loopback address, which deliveries reach only when allowed.
  stack = await startStack({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: 'localhost' });
});
after(async () => {
  await stack?.close();
});

async function signedIn(): Promise<{ browser: Browser; sub: string; email: string; refreshToken: string }> {
  const user = await stack.newUser();
  const browser = new Browser();
  const page = await signIn(browser, stack.appUrl, user.email, PASSWORD);
  assert.equal(page.url, `${stack.appUrl}/dashboard`, page.html.slice(0, 300));
  const refreshToken = (await sessionOf(stack.store, user.id)).tokens?.refreshToken;
  assert.ok(refreshToken, 'the app holds a refresh token');
  return { browser, sub: user.id, email: user.email, refreshToken };
}

async function active(token: string): Promise<boolean> {
  const res = await fetch(`${stack.issuer}/oauth/introspect`, {
    method: 'POST',
    headers: { authorization: basicAuth(stack.clientId, stack.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }).toString(),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { active: boolean }).active;
}

/** The app's sessions of `sub`, signed in or not. */
async function appSessionsOf(sub: string): Promise<number> {
  return (await sessions(stack.store)).filter((s) => s.sub === sub).length;
}

/** Waits for Gatehouse's delivery (its outbox, polled and woken) to end the app's session. */
async function untilSignedOutOfApp(sub: string): Promise<void> {
  await until(async () => (await appSessionsOf(sub)) === 0, `the app ended the session of ${sub}`, {
    intervalMs: 50,
    detail: () => stack.logs.join('\n'),
  });
}

async function assertSignedOutOfApp(s: { browser: Browser; refreshToken: string }): Promise<void> {
  const page = await s.browser.follow(`${stack.appUrl}/dashboard`);
  assert.equal(page.url, `${stack.appUrl}/`, 'the dashboard sends a signed-out browser home');
  assert.match(page.html, /id="sign-in"/);
  assert.equal(await active(s.refreshToken), false, "the app's refresh token no longer works");
}

describe('back-channel logout in the example app', () => {
  test('signing out at Gatehouse signs the user out of the app', async () => {
    const s = await signedIn();
    assert.equal((await s.browser.follow(`${stack.appUrl}/dashboard`)).url, `${stack.appUrl}/dashboard`);
    // Gatehouse's own sign-out (no id_token_hint: it asks first), in the same browser.
    const confirm = await s.browser.follow(`${stack.issuer}/oauth/logout`);
    assert.ok(formIn(confirm.html, '/oauth/logout/confirm'));
    const done = await s.browser.submit(confirm, '/oauth/logout/confirm', { decision: 'logout' });
    assert.match(done.html, /signed out/i);
    await untilSignedOutOfApp(s.sub);
    await assertSignedOutOfApp(s);
  });

  test('"Sign out of all other sessions" on the account page signs the app out too', async () => {
    const s = await signedIn();
    // The same user on another computer, at Gatehouse's account page.
    const laptop = new Browser();
    let page = await laptop.follow(`${stack.issuer}/account/sessions`);
    page = await laptop.submit(page, '/login', { email: s.email, password: PASSWORD });
    assert.equal(new URL(page.url).pathname.endsWith('/account/sessions'), true, page.url);
    await laptop.submit(page, '/account/sessions/end-others', {});
    await untilSignedOutOfApp(s.sub);
    await assertSignedOutOfApp(s);
  });

  test('a request that is not a valid logout token is refused and ends nothing', async () => {
    const s = await signedIn();
    for (const body of ['', 'logout_token=not-a-jwt']) {
      const res = await fetch(`${stack.appUrl}${BACKCHANNEL_LOGOUT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
    }
    assert.equal(await appSessionsOf(s.sub), 1);
    assert.equal((await s.browser.follow(`${stack.appUrl}/dashboard`)).url, `${stack.appUrl}/dashboard`);
  });
});

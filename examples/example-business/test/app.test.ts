import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { IdpClient } from '@gatehouse/client';
import { basicAuth } from '../../../packages/server/test/helpers/harness.js';
import { formIn } from '../../../packages/server/test/helpers/http-browser.js';
import { createExampleApp } from '../src/app.js';
import { CALLBACK_PATH } from '../src/config.js';
import { ordersFor } from '../src/orders.js';
import { SESSION_COOKIE } from '../src/session.js';
import { Browser, signIn } from './helpers/browser.js';
import { PASSWORD, type Stack, sessionOf, sessions, startStack } from './helpers/stack.js';

let stack: Stack;

before(async () => {
  // Short access tokens, so moving the shared clock 45 s puts them inside the SDK's refresh window.
  stack = await startStack({ GATEHOUSE_ACCESS_TOKEN_TTL: '60' });
});
after(async () => {
  await stack?.close();
});

async function signedIn(): Promise<{ browser: Browser; sub: string; email: string }> {
  const user = await stack.newUser();
  const browser = new Browser();
  const page = await signIn(browser, stack.appUrl, user.email, PASSWORD);
  assert.equal(page.url, `${stack.appUrl}/dashboard`, page.html.slice(0, 300));
  return { browser, sub: user.id, email: user.email };
}

async function introspect(token: string): Promise<{ active: boolean }> {
  const res = await fetch(`${stack.issuer}/oauth/introspect`, {
    method: 'POST',
    headers: { authorization: basicAuth(stack.clientId, stack.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }).toString(),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { active: boolean };
}

describe('sign-in', () => {
  test('the login route redirects to Gatehouse with PKCE S256, state, nonce, the scopes and the API resource', async () => {
    const browser = new Browser();
    const res = await browser.request(`${stack.appUrl}/api/auth/login/gatehouse`);
    assert.equal(res.status, 303);
    const url = new URL(res.headers.get('location') ?? '');
    assert.equal(`${url.origin}${url.pathname}`, `${stack.issuer}/oauth/authorize`);
    const q = url.searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), stack.clientId);
    assert.equal(q.get('redirect_uri'), `${stack.appUrl}${CALLBACK_PATH}`);
    assert.deepEqual(q.get('scope')?.split(' ').sort(), ['email', 'openid', 'orders', 'profile']);
    assert.equal(q.get('resource'), `${stack.appUrl}/api`);
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('state') ?? '', /^[\w-]{43,}$/);
    assert.match(q.get('nonce') ?? '', /^[\w-]{43,}$/);

    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    // The verifier stays on the server, and it is the one the challenge was made from.
    const pending = (await sessions(stack.store)).find((s) => s.pendingLogin?.state === q.get('state'))?.pendingLogin;
    assert.ok(pending, 'the pending login is in the server-side session');
    assert.equal(pending.nonce, q.get('nonce'));
    assert.equal(createHash('sha256').update(pending.codeVerifier).digest('base64url'), q.get('code_challenge'));
  });

  test('a callback with the wrong state is refused with a readable 400 page and the code is not redeemed', async () => {
    const browser = new Browser();
    await browser.request(`${stack.appUrl}/api/auth/login/gatehouse`);
    const res = await browser.request(`${stack.appUrl}${CALLBACK_PATH}?code=some-code&state=forged&iss=${encodeURIComponent(stack.issuer)}`);
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /Sign-in could not be verified/);
    assert.match(html, /<a href="\/" id="back-home">/);
    assert.doesNotMatch(html, /at .*\.(ts|js):\d+/, 'no stack trace');
    // The attempt is spent: replaying the callback finds no sign-in in progress.
    const again = await browser.request(`${stack.appUrl}${CALLBACK_PATH}?code=some-code&state=forged`);
    assert.equal(again.status, 400);
    assert.match(await again.text(), /No sign-in in progress/);
  });

  test('denying consent comes back as a readable page, not a session', async () => {
    const user = await stack.newUser();
    const browser = new Browser();
    const page = await signIn(browser, stack.appUrl, user.email, PASSWORD, 'deny');
    assert.equal(page.status, 400);
    assert.match(page.html, /Sign-in cancelled/);
    assert.match(page.html, /id="back-home"/);
    const dashboard = await browser.request(`${stack.appUrl}/dashboard`);
    assert.equal(dashboard.status, 303);
  });

  test('when Gatehouse is unreachable, sign-in shows a readable 503 page', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadIssuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const server = http.createServer(createExampleApp({ ...stack.config, issuerUrl: deadIssuer }, { log: () => {} }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/login/gatehouse`, { redirect: 'manual' });
      assert.equal(res.status, 503);
      const html = await res.text();
      assert.match(html, /Gatehouse is unreachable/);
      assert.match(html, /id="back-home"/);
      assert.doesNotMatch(html, /NetworkError|at .*\.(ts|js):\d+/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('the dashboard sends signed-out visitors home', async () => {
    const res = await new Browser().request(`${stack.appUrl}/dashboard`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
  });

  test('a full sign-in shows the profile on the dashboard; tokens stay on the server', async () => {
    const user = await stack.newUser();
    const browser = new Browser();
    const page = await signIn(browser, stack.appUrl, user.email, PASSWORD);
    assert.equal(page.url, `${stack.appUrl}/dashboard`);
    assert.equal(page.status, 200);
    const profile = /<dl id="profile">[\s\S]*?<\/dl>/.exec(page.html)?.[0] ?? '';
    assert.match(profile, /Ada Lovelace/);
    assert.match(profile, new RegExp(user.email.replace(/[.+]/g, '\\$&')));
    assert.match(profile, new RegExp(user.id));

    const stored = await sessionOf(stack.store, user.id);
    assert.ok(stored.tokens?.refreshToken && stored.tokens.idToken && stored.tokens.accessToken);
    for (const token of [stored.tokens.accessToken, stored.tokens.refreshToken, stored.tokens.idToken]) {
      assert.ok(!page.html.includes(token), 'no token in the page');
    }
    // The only cookie the app ever set is the opaque session id.
    const appCookies = browser.setCookies.filter((c) => c.host === 'localhost').map((c) => c.header.split('=')[0]);
    assert.deepEqual([...new Set(appCookies)], [SESSION_COOKIE]);
    for (const { header } of browser.setCookies.filter((c) => c.host === 'localhost')) {
      assert.ok(!header.includes(stored.tokens.accessToken.slice(0, 20)));
    }
  });
});

describe('the demo orders API', () => {
  test('no token: 401 with a bare Bearer challenge', async () => {
    const res = await fetch(`${stack.appUrl}/api/orders`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  });

  test('a bad token: 401 invalid_token', async () => {
    const res = await fetch(`${stack.appUrl}/api/orders`, { headers: { authorization: 'Bearer not.a.jwt' } });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  });

  test('a Gatehouse token for another audience: 401; for this API without "orders": 403 insufficient_scope', async () => {
    const make = async (resources: string[]): Promise<string> => {
      const { client, secret } = await stack.ctx.scope.repos.clients.create({
        name: 'Reporting job',
        redirectUris: [],
        grantTypes: ['client_credentials'],
        scopes: ['reports'],
        resources,
        isPublic: false,
        firstParty: true,
      });
      const idp = new IdpClient({
        issuerUrl: stack.issuer,
        clientId: client.id,
        clientSecret: secret ?? '',
        redirectUri: 'http://localhost/unused',
        clock: stack.ctx.clock,
      });
      return (await idp.clientCredentials({ scopes: ['reports'] })).accessToken;
    };
    const otherAudience = await fetch(`${stack.appUrl}/api/orders`, { headers: { authorization: `Bearer ${await make([])}` } });
    assert.equal(otherAudience.status, 401);
    assert.match(otherAudience.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const noScope = await fetch(`${stack.appUrl}/api/orders`, { headers: { authorization: `Bearer ${await make([stack.config.apiAudience])}` } });
    assert.equal(noScope.status, 403);
    assert.match(noScope.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="orders"/);
  });
});

describe("the user's orders, through the SDK agent", () => {
  test('/api/me/orders needs a signed-in session', async () => {
    const res = await fetch(`${stack.appUrl}/api/me/orders`);
    assert.equal(res.status, 401);
  });

  test('works, and keeps working across refreshes: onRefresh stores each rotated refresh token', async () => {
    const { browser, sub } = await signedIn();
    const get = async (): Promise<{ sub: string; orders: unknown[] }> => {
      const res = await browser.request(`${stack.appUrl}/api/me/orders`);
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as { sub: string; orders: unknown[] };
    };
    assert.deepEqual(await get(), { sub, orders: ordersFor(sub) });
    const first = (await sessionOf(stack.store, sub)).tokens!;

    stack.ctx.clock.advance(45); // 15 s left on a 60 s token: the agent refreshes before calling
    assert.deepEqual(await get(), { sub, orders: ordersFor(sub) });
    const second = (await sessionOf(stack.store, sub)).tokens!;
    assert.notEqual(second.refreshToken, first.refreshToken, 'the session holds the rotated refresh token');
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal((await stack.ctx.scope.repos.refreshTokens.find(first.refreshToken!))?.consumed, true);
    assert.equal((await introspect(second.refreshToken!)).active, true);

    // The stored token is the one that works next: reusing the spent one would revoke the grant.
    stack.ctx.clock.advance(45);
    assert.deepEqual(await get(), { sub, orders: ordersFor(sub) });
    const third = (await sessionOf(stack.store, sub)).tokens!;
    assert.notEqual(third.refreshToken, second.refreshToken);
    assert.equal((await introspect(third.refreshToken!)).active, true);
  });

  test('when the grant is revoked at Gatehouse, the next refresh ends the session (onRefreshError) with 401', async () => {
    const { browser, sub } = await signedIn();
    const { refreshToken } = (await sessionOf(stack.store, sub)).tokens!;
    const grantId = (await stack.ctx.scope.repos.refreshTokens.find(refreshToken!))!.grantId;
    await stack.ctx.scope.repos.grants.revoke(grantId, 'revoked_by_user');
    stack.ctx.clock.advance(45);
    const res = await browser.request(`${stack.appUrl}/api/me/orders`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'session_ended');
    assert.equal((await sessions(stack.store)).filter((s) => s.sub === sub).length, 0);
    assert.equal((await browser.request(`${stack.appUrl}/dashboard`)).status, 303);
  });
});

describe('sign-out', () => {
  test("needs the form's CSRF token", async () => {
    const { browser, sub } = await signedIn();
    const res = await browser.request(`${stack.appUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=guessed',
    });
    assert.equal(res.status, 403);
    assert.equal((await sessions(stack.store)).filter((s) => s.sub === sub).length, 1, 'still signed in');
  });

  test("revokes the refresh token, ends the local session and goes through Gatehouse's logout back home", async () => {
    const { browser, sub } = await signedIn();
    const { tokens } = await sessionOf(stack.store, sub);
    const dashboard = await browser.follow(`${stack.appUrl}/dashboard`);
    const form = formIn(dashboard.html, '/api/auth/logout');
    const res = await browser.request(`${stack.appUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form.hidden).toString(),
    });
    assert.equal(res.status, 303);
    const logout = new URL(res.headers.get('location') ?? '');
    assert.equal(`${logout.origin}${logout.pathname}`, `${stack.issuer}/oauth/logout`);
    assert.equal(logout.searchParams.get('id_token_hint'), tokens!.idToken);
    assert.equal(logout.searchParams.get('client_id'), stack.clientId);
    assert.equal(logout.searchParams.get('post_logout_redirect_uri'), `${stack.appUrl}/`);
    assert.ok(logout.searchParams.get('state'));

    // The grant is gone at Gatehouse, not just forgotten here.
    assert.equal((await introspect(tokens!.refreshToken!)).active, false);
    const grantId = (await stack.ctx.scope.repos.refreshTokens.find(tokens!.refreshToken!))!.grantId;
    assert.equal(await stack.ctx.scope.repos.grants.findActive(grantId), undefined);
    assert.equal((await sessions(stack.store)).filter((s) => s.sub === sub).length, 0);

    // Gatehouse ends its own session (the hint proves who asks) and sends the browser home.
    const home = await browser.follow(logout.href);
    assert.equal(new URL(home.url).origin + new URL(home.url).pathname, `${stack.appUrl}/`);
    assert.match(home.html, /id="signed-out"/);
    assert.match(home.html, /id="sign-in"/);
    assert.equal((await browser.request(`${stack.appUrl}/dashboard`)).status, 303);
    assert.equal((await browser.request(`${stack.appUrl}/api/me/orders`)).status, 401);
    // Signing in again means the login form again: the Gatehouse session is over too.
    const again = await browser.follow(`${stack.appUrl}/api/auth/login/gatehouse`);
    assert.match(again.html, /id="login-form"/);
  });
});

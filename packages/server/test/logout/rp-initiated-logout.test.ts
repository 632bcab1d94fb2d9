import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ISSUER, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { HttpBrowser, type Page, formIn } from '../helpers/http-browser.js';
import { confidentialClient, silentAuthorize } from '../helpers/oauth-requests.js';
import { at, SESSION_COOKIE } from '../helpers/prefix.js';

const POST_LOGOUT = 'https://example-business.com/';

/** A signed-in browser, with its session cookie value kept aside to replay after logout. */
interface SignedIn {
  browser: HttpBrowser;
  cookie: string;
  idToken: string;
}

// OpenID Connect RP-Initiated Logout 1.0.
describe('RP-initiated logout', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string };
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx, { postLogoutRedirectUris: [POST_LOGOUT] });
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  async function signIn(who = email): Promise<SignedIn> {
    let cookie: string | undefined;
    const browser = new HttpBrowser(async (input, init) => {
      const res = await ctx.app.request(input, init);
      for (const header of res.headers.getSetCookie()) {
        const value = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(header)?.[1];
        if (value) cookie = `${SESSION_COOKIE}=${value}`;
      }
      return res;
    });
    const { tokens } = await signInForTokens(ctx, client, who, {}, browser);
    assert.ok(cookie, 'a session cookie was set');
    return { browser, cookie, idToken: tokens.id_token as string };
  }

  /** Whether the session behind a cookie still signs in silently. */
  async function sessionLive(cookie: string): Promise<boolean> {
    const to = await silentAuthorize(ctx, client.id, cookie);
    if (to.searchParams.get('code')) return true;
    assert.equal(to.searchParams.get('error'), 'login_required');
    return false;
  }

  function logoutUrl(params: Record<string, string>): string {
    return `${ISSUER}/oauth/logout?${new URLSearchParams(params).toString()}`;
  }

  async function assertErrorPage(res: Response): Promise<void> {
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null, 'no redirect anywhere');
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /<html/);
  }

  it('with id_token_hint and a registered post_logout_redirect_uri: ends the session and redirects with state', async () => {
    const s = await signIn();
    assert.equal(await sessionLive(s.cookie), true);
    const res = await s.browser.request(logoutUrl({ id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT, state: 'bye 1' }));
    assert.equal(res.status, 303);
    const to = new URL(res.headers.get('location') ?? '');
    assert.equal(`${to.origin}${to.pathname}`, POST_LOGOUT);
    assert.equal(to.searchParams.get('state'), 'bye 1');
    const cleared = res.headers.getSetCookie().find((h) => h.startsWith(`${SESSION_COOKIE}=`));
    assert.ok(cleared, 'the session cookie is cleared');
    assert.ok(cleared.startsWith(`${SESSION_COOKIE}=;`), cleared);
    assert.match(cleared, /Max-Age=0/i);
    assert.equal(await sessionLive(s.cookie), false, 'the old cookie no longer names a session');
  });

  it('accepts POST with a form body', async () => {
    const s = await signIn();
    const res = await s.browser.request(`${ISSUER}/oauth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT, state: 'p' }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(new URL(res.headers.get('location') ?? '').searchParams.get('state'), 'p');
    assert.equal(await sessionLive(s.cookie), false);
  });

  it('accepts an expired id_token_hint from this provider', async () => {
    const s = await signIn();
    ctx.clock.advance(ctx.config.idTokenTtl + 60);
    const res = await s.browser.request(logoutUrl({ id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT }));
    assert.equal(res.status, 303);
    assert.equal(await sessionLive(s.cookie), false);
  });

  it('shows an error page for an unregistered post_logout_redirect_uri, and keeps the session', async () => {
    const s = await signIn();
    for (const uri of ['https://evil.example/', 'https://example-business.com/other', `${POST_LOGOUT}?x=1`]) {
      await assertErrorPage(await s.browser.request(logoutUrl({ id_token_hint: s.idToken, post_logout_redirect_uri: uri })));
    }
    // Without an id_token_hint or client_id there is no client whose URIs could match.
    await assertErrorPage(await s.browser.request(logoutUrl({ post_logout_redirect_uri: POST_LOGOUT })));
    assert.equal(await sessionLive(s.cookie), true);
  });

  it('shows an error page for an invalid id_token_hint, and keeps the session', async () => {
    const s = await signIn();
    const { tokens } = await signInForTokens(ctx, client, email, {}, s.browser);
    const [h, p, sig] = s.idToken.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: ISSUER, sub: 'x', aud: client.id })).toString('base64url')}.${sig}`;
    for (const hint of ['garbage', `${h}.${p}.${sig.slice(0, -6)}AAAAAA`, forged, tokens.access_token as string]) {
      await assertErrorPage(await s.browser.request(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: POST_LOGOUT })));
    }
    assert.equal(await sessionLive(s.cookie), true);
  });

  it("asks for confirmation when the id_token_hint names another user than the session's", async () => {
    const mine = await signIn();
    const someoneElse = await createTestUser(ctx);
    const theirs = await signIn(someoneElse.email);
    const res = await mine.browser.request(logoutUrl({ id_token_hint: theirs.idToken, post_logout_redirect_uri: POST_LOGOUT }));
    assert.equal(res.status, 200, 'a confirmation page, not a silent logout');
    formIn(await res.text(), '/oauth/logout/confirm');
    assert.equal(await sessionLive(mine.cookie), true);
    assert.equal(await sessionLive(theirs.cookie), true);
  });

  it('shows an error page when client_id contradicts the id_token_hint', async () => {
    const s = await signIn();
    const other = await createTestClient(ctx, { postLogoutRedirectUris: [POST_LOGOUT] });
    await assertErrorPage(await s.browser.request(logoutUrl({ id_token_hint: s.idToken, client_id: other.client.id })));
    assert.equal(await sessionLive(s.cookie), true);
  });

  async function confirmPage(s: SignedIn, params: Record<string, string> = {}): Promise<Page> {
    const step = await s.browser.navigate(logoutUrl(params), ISSUER);
    assert.ok(step.page, 'a confirmation page, not a redirect');
    assert.equal(step.page.status, 200);
    const form = formIn(step.page.html, '/oauth/logout/confirm');
    assert.equal(form.action, at('/oauth/logout/confirm'));
    assert.ok(form.hidden.some(([name, value]) => name === 'logout_token' && value.length > 20));
    return step.page;
  }

  it('without id_token_hint asks for confirmation, and "Sign out" ends the session', async () => {
    const s = await signIn();
    const page = await confirmPage(s);
    assert.equal(await sessionLive(s.cookie), true, 'nothing happens before the user confirms');
    const done = await s.browser.submit(page, '/oauth/logout/confirm', { decision: 'logout' }, ISSUER);
    assert.ok(done.page);
    assert.match(done.page.html, /signed out/i);
    assert.equal(await sessionLive(s.cookie), false);
  });

  it('after confirmation redirects to a post_logout_redirect_uri registered for client_id', async () => {
    const s = await signIn();
    const page = await confirmPage(s, { client_id: client.id, post_logout_redirect_uri: POST_LOGOUT, state: 'c' });
    const done = await s.browser.submit(page, '/oauth/logout/confirm', { decision: 'logout' }, ISSUER);
    assert.ok(done.leftTo);
    assert.equal(new URL(done.leftTo).searchParams.get('state'), 'c');
    assert.equal(await sessionLive(s.cookie), false);
  });

  it('keeps the session when the user chooses to stay', async () => {
    const s = await signIn();
    const page = await confirmPage(s);
    const done = await s.browser.submit(page, '/oauth/logout/confirm', { decision: 'stay' }, ISSUER);
    assert.ok(done.page);
    assert.equal(await sessionLive(s.cookie), true);
  });

  it('refuses a forged or garbled logout_token with an error page', async () => {
    const s = await signIn();
    const page = await confirmPage(s);
    const token = formIn(page.html, '/oauth/logout/confirm').hidden.find(([n]) => n === 'logout_token')?.[1] ?? '';
    const garbled = `${token.slice(0, -5)}${token.endsWith('AAAAA') ? 'BBBBB' : 'AAAAA'}`;
    for (const forged of [garbled, 'forged', 'a.b.c.d.e', '']) {
      const res = await s.browser.request(`${ISSUER}/oauth/logout/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: forged, decision: 'logout' }).toString(),
      });
      await assertErrorPage(res);
    }
    assert.equal(await sessionLive(s.cookie), true);
  });

  it("does not end one browser's session with a confirmation token made for another", async () => {
    const a = await signIn();
    const b = await signIn();
    const token = formIn((await confirmPage(a)).html, '/oauth/logout/confirm').hidden.find(([n]) => n === 'logout_token')?.[1] ?? '';
    await b.browser.request(`${ISSUER}/oauth/logout/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token, decision: 'logout' }).toString(),
    });
    assert.equal(await sessionLive(b.cookie), true);
    assert.equal(await sessionLive(a.cookie), true);
  });

  it('without a session: redirects to a registered URI, or shows a signed-out page', async () => {
    const anonymous = new HttpBrowser((input, init) => Promise.resolve(ctx.app.request(input, init)));
    const res = await anonymous.request(logoutUrl({ client_id: client.id, post_logout_redirect_uri: POST_LOGOUT, state: 'n' }));
    assert.equal(res.status, 303);
    assert.equal(new URL(res.headers.get('location') ?? '').searchParams.get('state'), 'n');
    const plain = await anonymous.request(logoutUrl({}));
    assert.equal(plain.status, 200);
    assert.match(await plain.text(), /signed out/i);
  });
});

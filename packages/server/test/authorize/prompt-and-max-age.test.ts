import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { assertErrorCallback, codeFrom, exchangeCode, isConsentPage, openLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

type TestClient = { id: string; secret: string | null };

// OIDC Core §3.1.2.1: prompt and max_age decide when an existing session may be used silently.
describe('authorize: prompt, max_age, nonce and login_hint', () => {
  let ctx: TestContext;
  let app: TestClient;
  let portal: TestClient;
  let email: string;
  let otherEmail: string;

  before(async () => {
    ctx = await createTestContext();
    const third = await createTestClient(ctx);
    app = { id: third.client.id, secret: third.secret };
    const first = await createTestClient(ctx, { name: 'Staff Portal', firstParty: true });
    portal = { id: first.client.id, secret: first.secret };
    email = (await createTestUser(ctx)).email;
    otherEmail = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  /** A browser signed in through the first-party portal: a session, but no consent for `app`. */
  async function signedInBrowser(): Promise<HttpBrowser> {
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(portal.id);
    codeFrom((await runFlow(browser, req.url, { email })).callback, { state: req.state });
    return browser;
  }

  /** Runs one silent or interactive authorization and returns the ID token. */
  async function idToken(browser: HttpBrowser, client: TestClient, extra: Record<string, string | undefined> = {}, login?: string): Promise<string> {
    const req = authorizeUrl(client.id, extra);
    const result = await runFlow(browser, req.url, login ? { email: login } : {});
    const code = codeFrom(result.callback, { state: req.state });
    const res = await exchangeCode(ctx, client, code, req.verifier);
    assert.equal(res.status, 200);
    return ((await res.json()) as { id_token: string }).id_token;
  }

  async function idTokenClaims(browser: HttpBrowser, client: TestClient, extra: Record<string, string | undefined> = {}): Promise<Record<string, unknown>> {
    return decodeJwt(await idToken(browser, client, extra));
  }

  it('prompt=none without a session redirects login_required', async () => {
    const req = authorizeUrl(app.id, { prompt: 'none' });
    const step = await inProcessBrowser(ctx).navigate(req.url, ISSUER);
    assertErrorCallback(step.leftTo, 'login_required', { state: req.state });
  });

  it('prompt=none with a session but no consent redirects consent_required', async () => {
    const browser = await signedInBrowser();
    const req = authorizeUrl(app.id, { prompt: 'none' });
    assertErrorCallback((await browser.navigate(req.url, ISSUER)).leftTo, 'consent_required', { state: req.state });
  });

  it('prompt=none with a session and consent returns a code at once', async () => {
    const browser = await signedInBrowser();
    const first = authorizeUrl(app.id);
    codeFrom((await runFlow(browser, first.url, { approve: ['openid', 'profile', 'email'] })).callback, { state: first.state });
    const claims = await idTokenClaims(browser, app, { prompt: 'none' });
    assert.equal(claims.aud, app.id);
  });

  it('prompt=none with a session older than max_age redirects login_required', async () => {
    const browser = await signedInBrowser();
    ctx.clock.advance(30);
    const req = authorizeUrl(portal.id, { prompt: 'none', max_age: '10' });
    assertErrorCallback((await browser.navigate(req.url, ISSUER)).leftTo, 'login_required', { state: req.state });
  });

  it('prompt=login shows the login page although a session exists', async () => {
    const browser = await signedInBrowser();
    const before = await idTokenClaims(browser, portal);
    ctx.clock.advance(5);
    const req = authorizeUrl(portal.id, { prompt: 'login' });
    const page = await openLoginPage(browser, req.url);
    const step = await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    const code = codeFrom(step.leftTo, { state: req.state });
    const tokens = (await (await exchangeCode(ctx, portal, code, req.verifier)).json()) as { id_token: string };
    const claims = decodeJwt(tokens.id_token);
    assert.equal(claims.auth_time, ctx.clock(), 'auth_time is the new login');
    assert.notEqual(claims.sid, before.sid, 'a new login starts a new session');
  });

  it('a session older than max_age needs a new login, and auth_time reflects it', async () => {
    const browser = await signedInBrowser();
    const loginAt = ctx.clock();
    ctx.clock.advance(120);

    // Young enough: used silently, with the original auth_time.
    const silent = await idTokenClaims(browser, portal, { max_age: '3600' });
    assert.equal(silent.auth_time, loginAt);

    // Too old: the login page again.
    const req = authorizeUrl(portal.id, { max_age: '60' });
    const page = await openLoginPage(browser, req.url);
    const step = await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    const code = codeFrom(step.leftTo, { state: req.state });
    const tokens = (await (await exchangeCode(ctx, portal, code, req.verifier)).json()) as { id_token: string };
    assert.equal(decodeJwt(tokens.id_token).auth_time, loginAt + 120);

    // The new session satisfies the same max_age now.
    assert.equal((await idTokenClaims(browser, portal, { max_age: '60' })).auth_time, loginAt + 120);
  });

  it('max_age=0 always asks for a login, like prompt=login', async () => {
    // OIDC Core §3.1.2.1 (errata set 2): "max_age=0 is equivalent to prompt=login", even for a
    // session started this very second.
    const browser = await signedInBrowser();
    const req = authorizeUrl(portal.id, { max_age: '0' });
    const page = await openLoginPage(browser, req.url);
    // The fresh login completes the request rather than asking again.
    codeFrom((await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER)).leftTo, { state: req.state });
  });

  it('returns the nonce in the ID token, and no nonce when none was sent', async () => {
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(portal.id, { nonce: 'n-0S6_WzA2Mj' });
    const result = await runFlow(browser, req.url, { email });
    const code = codeFrom(result.callback, { state: req.state });
    const tokens = (await (await exchangeCode(ctx, portal, code, req.verifier)).json()) as { id_token: string };
    const claims = decodeJwt(tokens.id_token);
    assert.equal(claims.nonce, 'n-0S6_WzA2Mj');
    assert.equal(claims.iss, ISSUER);
    assert.equal((await idTokenClaims(browser, portal, { nonce: undefined })).nonce, undefined);
  });

  it('login_hint pre-fills the email field', async () => {
    const page = await openLoginPage(inProcessBrowser(ctx), authorizeUrl(app.id, { login_hint: 'grace@example.com' }).url);
    assert.match(page.html, /<input type="email" id="email" name="email"[^>]*value="grace@example\.com"/);
  });

  it('login_hint is escaped, not reflected as markup', async () => {
    const hint = '"><script>alert(1)</script>';
    const page = await openLoginPage(inProcessBrowser(ctx), authorizeUrl(app.id, { login_hint: hint }).url);
    assert.ok(!page.html.includes('<script>'), 'no script tag from the hint');
    assert.match(page.html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  });

  it('prompt=consent with a session shows the consent page, not the login page', async () => {
    const browser = await signedInBrowser();
    const step = await browser.navigate(authorizeUrl(app.id, { prompt: 'consent' }).url, ISSUER);
    assert.ok(isConsentPage(step.page), step.leftTo);
  });

  // id_token_hint names who the client expects: a session for anyone else is never used silently.
  it('prompt=none with an id_token_hint for the signed-in user returns a code', async () => {
    const browser = await signedInBrowser();
    const hint = await idToken(browser, portal);
    assert.equal((await idTokenClaims(browser, portal, { prompt: 'none', id_token_hint: hint })).sub, decodeJwt(hint).sub);
  });

  it('an id_token_hint for another user is not answered from this session', async () => {
    const hint = await idToken(inProcessBrowser(ctx), portal, {}, otherEmail);
    const browser = await signedInBrowser();
    const silent = authorizeUrl(portal.id, { prompt: 'none', id_token_hint: hint });
    assertErrorCallback((await browser.navigate(silent.url, ISSUER)).leftTo, 'login_required', { state: silent.state });
    await openLoginPage(browser, authorizeUrl(portal.id, { id_token_hint: hint }).url);
  });

  it('refuses an id_token_hint issued to another client with invalid_request', async () => {
    const browser = await signedInBrowser();
    const hint = await idToken(browser, portal);
    const foreign = authorizeUrl(app.id, { id_token_hint: hint });
    assertErrorCallback((await browser.navigate(foreign.url, ISSUER)).leftTo, 'invalid_request', { state: foreign.state });
  });
});

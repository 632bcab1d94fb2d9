import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { codeFrom, cookieValue, exchangeCode, isConsentPage, isLoginPage, openLoginPage, postForm } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { SESSION_COOKIE } from '../helpers/prefix.js';

type TestClient = { id: string; secret: string | null };

// One login serves every client in the same browser, for as long as the session lives; each new
// login starts a new session rather than reusing one that might have been planted.
describe('hosted pages: single sign-on', () => {
  let ctx: TestContext;
  let app: TestClient;
  let otherApp: TestClient;
  let portal: TestClient;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    const toClient = (c: { client: { id: string }; secret: string | null }): TestClient => ({ id: c.client.id, secret: c.secret });
    app = toClient(await createTestClient(ctx));
    otherApp = toClient(await createTestClient(ctx, { name: 'Invoices Inc' }));
    portal = toClient(await createTestClient(ctx, { name: 'Staff Portal', firstParty: true }));
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  async function signedIn(): Promise<{ browser: HttpBrowser; claims: Record<string, unknown> }> {
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(app.id);
    const result = await runFlow(browser, req.url, { email, approve: ['openid', 'profile', 'email'] });
    const res = await exchangeCode(ctx, app, codeFrom(result.callback, { state: req.state }), req.verifier);
    return { browser, claims: decodeJwt(((await res.json()) as { id_token: string }).id_token) };
  }

  it('a second, first-party client gets a code without the login page, from the same session', async () => {
    const { browser, claims } = await signedIn();
    const req = authorizeUrl(portal.id);
    const step = await browser.navigate(req.url, ISSUER);
    assert.equal(step.page, undefined, 'no page at all');
    const res = await exchangeCode(ctx, portal, codeFrom(step.leftTo, { state: req.state }), req.verifier);
    const second = decodeJwt(((await res.json()) as { id_token: string }).id_token);
    assert.equal(second.sub, claims.sub);
    assert.equal(second.sid, claims.sid, 'the same session');
    assert.equal(second.auth_time, claims.auth_time, 'no new authentication');
  });

  it('a second, third-party client skips the login page but asks for consent', async () => {
    const { browser } = await signedIn();
    const step = await browser.navigate(authorizeUrl(otherApp.id).url, ISSUER);
    assert.ok(isConsentPage(step.page), 'consent, not login');
    assert.match(step.page.html, /Invoices Inc/);
    assert.ok(!isLoginPage(step.page));
  });

  it('a different browser is not signed in', async () => {
    await signedIn();
    await openLoginPage(inProcessBrowser(ctx), authorizeUrl(portal.id).url);
  });

  it('each login starts a new session and ends the one the browser had', async () => {
    const browser = inProcessBrowser(ctx);
    const first = await openLoginPage(browser, authorizeUrl(portal.id).url);
    const oldCookie = cookieValue(await postForm(browser, first, '/login', { email, password: TEST_PASSWORD }), SESSION_COOKIE);
    assert.ok(oldCookie);

    const again = await openLoginPage(browser, authorizeUrl(portal.id, { prompt: 'login' }).url);
    const newCookie = cookieValue(await postForm(browser, again, '/login', { email, password: TEST_PASSWORD }), SESSION_COOKIE);
    assert.ok(newCookie);
    assert.notEqual(newCookie, oldCookie);

    // The old cookie, replayed elsewhere, no longer signs anyone in.
    const req = authorizeUrl(portal.id, { prompt: 'none' });
    const res = await ctx.app.request(req.url, { headers: { cookie: `${SESSION_COOKIE}=${oldCookie}` } });
    assert.equal(new URL(res.headers.get('location') ?? '').searchParams.get('error'), 'login_required');
  });

  it('ends with the session lifetime', async () => {
    const { browser } = await signedIn();
    ctx.clock.advance(ctx.config.sessionTtl + 1);
    await openLoginPage(browser, authorizeUrl(portal.id).url);
  });
});

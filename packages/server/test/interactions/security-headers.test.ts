import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { interactionUid, isConsentPage, openLoginPage, postForm, setCookie } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { at, INTERACTION_COOKIE, SESSION_COOKIE } from '../helpers/prefix.js';

const EVIL_NAME = '<script>alert("name")</script>';
const EVIL_DESCRIPTION = '<img src=x onerror=alert(1)>';

/** The headers every hosted page needs against framing, sniffing and referrer leaks. */
function assertPageHeaders(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
  assert.match(csp, /default-src 'none'/, `${what}: CSP default-src`);
  assert.ok(!csp.includes('unsafe-inline'), `${what}: no inline script or style allowed`);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(res.headers.get('cache-control'), 'no-store', what);
}

/** The attributes of a Set-Cookie header, lower-cased, without the name=value pair. */
function attributes(header: string | undefined): string[] {
  assert.ok(header, 'the cookie is set');
  return header
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

// Clickjacking, sniffing, referrer leaks, cookie theft and markup injection on the hosted pages.
describe('hosted pages: security headers, cookies and escaping', () => {
  let ctx: TestContext;
  let clientId: string;
  let evilClientId: string;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx)).client.id;
    evilClientId = (await createTestClient(ctx, { name: EVIL_NAME, description: EVIL_DESCRIPTION })).client.id;
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  it('sends the headers on the login page, the consent page and the redirects between them', async () => {
    const browser = inProcessBrowser(ctx);
    const location = authorizeUrl(clientId).url;
    const login = await browser.request(location);
    assert.equal(login.status, 200);
    assert.match(login.headers.get('content-type') ?? '', /^text\/html; charset=UTF-8/i);
    assertPageHeaders(login, 'login page, answered by the authorization endpoint');
    const page = { url: location, status: 200, html: await login.text() };
    const again = await browser.request(`${ISSUER}/interaction/${interactionUid(page.html)}`);
    assertPageHeaders(again, 'login page at its interaction URL');
    // One same-origin script file (passkeys), no inline script: the CSP's 'self' is all it needs.
    assert.deepEqual(
      [...page.html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]),
      [`<script src="${at('/assets/passkeys.js')}" defer="">`],
    );

    const posted = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD });
    assertPageHeaders(posted, 'login post');
    const consent = await browser.request(posted.headers.get('location') ?? '');
    assertPageHeaders(consent, 'consent page');
    assert.ok(isConsentPage({ url: location, status: 200, html: await consent.text() }));
  });

  it('sends the headers on a failed login and on error pages', async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(clientId).url);
    const failed = await postForm(browser, page, '/login', { email, password: 'wrong' });
    assert.equal(failed.status, 401);
    assertPageHeaders(failed, 'failed login');
    const unknownClient = await ctx.app.request(authorizeUrl('gh_nobody').url);
    assert.equal(unknownClient.status, 400);
    assertPageHeaders(unknownClient, 'authorize error page');
    const missing = await ctx.app.request(at('/interaction/aaaaaaaaaaaaaaaaaaaaaa'));
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-frame-options'), 'DENY');
  });

  it('sends no-referrer on the redirect that carries the code', async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(clientId, { scope: 'openid' }).url);
    const posted = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD });
    const consentUrl = posted.headers.get('location') ?? '';
    const consent = { url: consentUrl, status: 200, html: await (await browser.request(consentUrl)).text() };
    const done = await postForm(browser, consent, '/consent', { decision: 'approve', scope: ['openid'] });
    assert.match(done.headers.get('location') ?? '', /[?&]code=/);
    assert.equal(done.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(done.headers.get('cache-control'), 'no-store');
  });

  it("sets the session cookie HttpOnly and SameSite=Lax for the issuer's whole path", async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(clientId).url);
    const posted = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD });
    const attrs = attributes(setCookie(posted, SESSION_COOKIE));
    assert.ok(attrs.includes('httponly'), attrs.join('; '));
    assert.ok(attrs.includes('samesite=lax'), attrs.join('; '));
    assert.ok(attrs.includes(`path=${at('/').toLowerCase()}`), attrs.join('; '));
    assert.ok(!attrs.some((a) => a.startsWith('domain=')), 'host-only');
    assert.ok(
      attrs.some((a) => /^max-age=\d+$/.test(a)),
      'expires with the session',
    );
  });

  it('sets the interaction cookie HttpOnly and SameSite=Lax on its own path', async () => {
    const start = await ctx.app.request(authorizeUrl(clientId).url);
    const uid = interactionUid(await start.text());
    const attrs = attributes(setCookie(start, INTERACTION_COOKIE));
    assert.ok(attrs.includes('httponly'));
    assert.ok(attrs.includes('samesite=lax'));
    assert.ok(attrs.includes(`path=${at(`/interaction/${uid}`)}`.toLowerCase()), attrs.join('; '));
  });

  it("escapes the client's name and description on the login and consent pages", async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(evilClientId).url);
    assert.ok(!page.html.includes(EVIL_NAME), 'login page: name not raw');
    assert.ok(page.html.includes('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;'), 'login page: name escaped');

    const step = await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    assert.ok(isConsentPage(step.page));
    const html = step.page.html;
    assert.ok(!html.includes(EVIL_NAME) && !/<script\b/i.test(html), 'consent page: no script element');
    assert.ok(!html.includes(EVIL_DESCRIPTION) && !/<img\b/i.test(html), 'consent page: no img element');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;'), 'consent page: name escaped');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'consent page: description escaped');
  });

  it('escapes a custom scope name on the consent page', async () => {
    const odd = '<b>x</b>';
    const scoped = (await createTestClient(ctx, { scopes: ['openid', odd] })).client.id;
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(scoped, { scope: `openid ${odd}` }).url);
    const step = await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    assert.ok(isConsentPage(step.page));
    assert.ok(!step.page.html.includes(odd));
    assert.ok(step.page.html.includes('&lt;b&gt;x&lt;/b&gt;'));
  });
});

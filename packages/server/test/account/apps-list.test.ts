import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL, listedApps, openAccountPage, signInOnAccountPage, tokensFor } from '../helpers/account-pages.js';
import { assertErrorPage } from '../helpers/authorize-pages.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, basic, confidentialClient, refresh, revoke } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

/** The headers every hosted page carries (see interactions/security-headers.test.ts). */
function assertPageHeaders(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
  assert.match(csp, /default-src 'none'/, `${what}: CSP default-src`);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(res.headers.get('cache-control'), 'no-store', what);
}

// The account page lists the apps holding a live grant of the signed-in user, and only those.
describe('account page: apps with access', () => {
  let ctx: TestContext;
  let payments: Confidential;
  let invoices: Confidential;
  let revoked: Confidential;

  before(async () => {
    ctx = await createTestContext();
    payments = await confidentialClient(ctx, { name: 'Payments App' });
    invoices = await confidentialClient(ctx, { name: 'Invoices Inc' });
    revoked = await confidentialClient(ctx, { name: 'Revoked Ltd' });
  });
  after(() => ctx.close());

  it("lists the user's own live grants by app, in plain words, and nobody else's", async () => {
    const ada = await createTestUser(ctx);
    const grace = await createTestUser(ctx);
    const adaBrowser = inProcessBrowser(ctx);
    const graceBrowser = inProcessBrowser(ctx);
    await tokensFor(ctx, payments, ada.email, adaBrowser, 'openid profile email');
    await tokensFor(ctx, invoices, ada.email, adaBrowser, 'openid');
    // A second sign-in to the same app adds a grant; the page still shows one app, both scopes.
    await tokensFor(ctx, invoices, ada.email, adaBrowser, 'openid email');
    const gone = await tokensFor(ctx, revoked, ada.email, adaBrowser, 'openid');
    assert.equal((await revoke(ctx, basic(revoked), gone.refresh)).status, 200);
    await tokensFor(ctx, payments, grace.email, graceBrowser, 'openid');

    const adaApps = listedApps((await openAccountPage(adaBrowser)).html);
    assert.deepEqual(adaApps.map((a) => a.name).sort(), ['Invoices Inc', 'Payments App'], 'the revoked app is not listed');
    const adaPayments = adaApps.find((a) => a.name === 'Payments App');
    assert.deepEqual(adaPayments?.scopes, ['Sign you in with your account', 'See your name, username and profile picture', 'See your email address']);
    assert.deepEqual(adaApps.find((a) => a.name === 'Invoices Inc')?.scopes, ['Sign you in with your account', 'See your email address']);

    const graceApps = listedApps((await openAccountPage(graceBrowser)).html);
    assert.deepEqual(
      graceApps.map((a) => [a.name, a.scopes]),
      [['Payments App', ['Sign you in with your account']]],
    );
    assert.notEqual(graceApps[0]?.grant, adaPayments?.grant, 'her own grant, not Ada’s');
    assert.notEqual(graceApps[0]?.csrf, adaPayments?.csrf, 'each session has its own token');
  });

  it('leaves out grants past their lifetime', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    await tokensFor(ctx, payments, user.email, browser);
    assert.equal(listedApps((await openAccountPage(browser)).html).length, 1);
    await ctx.services.store.db.updateTable('grants').set({ expires_at: ctx.clock() }).where('user_id', '=', user.id).execute();
    assert.equal(listedApps((await openAccountPage(browser)).html).length, 0);
  });

  it('says when access was granted, and when the app last renewed its tokens', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const tokens = await tokensFor(ctx, payments, user.email, browser);
    const first = (await openAccountPage(browser)).html;
    assert.match(first, /Access granted <time datetime="[^"]+Z" data-local="">[^<]+ UTC<\/time>/);
    assert.doesNotMatch(first, /last used/, 'never used since it was granted');
    ctx.clock.advance(3600);
    assert.equal((await refresh(ctx, basic(payments), tokens.refresh)).status, 200);
    const later = (await openAccountPage(browser)).html;
    const used = /last used <time datetime="([^"]+)"/.exec(later)?.[1];
    assert.equal(used, new Date(ctx.clock() * 1000).toISOString());
  });

  it('shows a readable message when no app has access', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    await signInOnAccountPage(browser, user.email);
    const page = await openAccountPage(browser);
    assert.match(page.html, /<p id="no-apps">No apps can use your account right now\./);
    assert.deepEqual(listedApps(page.html), []);
    assert.match(page.html, new RegExp(`Signed in as ${user.email.replace(/[.]/g, '\\.')}`));
  });

  it('escapes app names', async () => {
    const evil = await confidentialClient(ctx, { name: '<script>alert(1)</script>' });
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    await tokensFor(ctx, evil, user.email, browser);
    const page = await openAccountPage(browser);
    // The one script is the page's own file (local times); the name is text, not an element.
    assert.deepEqual(
      [...page.html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]),
      [`<script src="${at('/assets/local-time.js')}" defer="">`],
    );
    assert.match(page.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('sends the hosted pages’ security headers on the page, its sign-in form, the remove redirect and errors', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const signIn = await browser.request(ACCOUNT_URL);
    assert.equal(signIn.status, 200);
    assertPageHeaders(signIn, 'account sign-in form');
    await signInOnAccountPage(browser, user.email);
    await tokensFor(ctx, payments, user.email, browser);
    const list = await browser.request(ACCOUNT_URL);
    assert.equal(list.status, 200);
    assert.match(list.headers.get('content-type') ?? '', /^text\/html; charset=UTF-8/i);
    assertPageHeaders(list, 'account page');
    const [app] = listedApps(await list.text());
    assert.ok(app);
    const removed = await browser.request(`${ISSUER}/account/apps/remove`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: app.csrf, grant: app.grant, confirm: 'yes' }).toString(),
    });
    assert.equal(removed.status, 303);
    assertPageHeaders(removed, 'remove redirect');
    const wrongMethod = await browser.request(ACCOUNT_URL, { method: 'DELETE' });
    assertPageHeaders(wrongMethod, '405 page');
    await assertErrorPage(wrongMethod, 405);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL, type ListedApp, listedApps, notice, openAccountPage, postRemove, tokensFor } from '../helpers/account-pages.js';
import { FORM_HEADERS, assertErrorPage, isConsentPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import {
  type Confidential,
  assertOAuthError,
  basic,
  codeParams,
  confidentialClient,
  introspect,
  obtainCode,
  postForm,
  refresh,
  userinfo,
} from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

interface Holder {
  browser: HttpBrowser;
  tokens: { access: string; refresh: string };
  app: ListedApp;
}

// "Remove access" revokes the app's grants through the same revocation as RFC 7009, so every
// token issued under them stops working; a forged, foreign or stale form changes nothing.
describe('account page: remove access', () => {
  let ctx: TestContext;
  let payments: Confidential;
  let invoices: Confidential;

  before(async () => {
    ctx = await createTestContext();
    payments = await confidentialClient(ctx, { name: 'Payments App' });
    invoices = await confidentialClient(ctx, { name: 'Invoices Inc' });
  });
  after(() => ctx.close());

  /** A user signed in to `client` in a browser, with the client's tokens and the app as listed. */
  async function holder(client: Confidential = payments, browser = inProcessBrowser(ctx), email?: string): Promise<Holder> {
    const tokens = await tokensFor(ctx, client, email ?? (await createTestUser(ctx)).email, browser);
    const app = listedApps((await openAccountPage(browser)).html).find((a) => a.name === (client === payments ? 'Payments App' : 'Invoices Inc'));
    assert.ok(app, 'the app is listed');
    return { browser, tokens, app };
  }

  /** Every token of `h` still works: refresh, introspection and userinfo. */
  async function assertStillWorks(h: Holder, client: Confidential = payments): Promise<void> {
    assert.equal((await introspect(ctx, client, h.tokens.access)).active, true, 'access token active');
    assert.equal((await userinfo(ctx, h.tokens.access)).status, 200, 'userinfo answers');
    const refreshed = await refresh(ctx, basic(client), h.tokens.refresh);
    assert.equal(refreshed.status, 200, 'refresh works');
    h.tokens.refresh = ((await refreshed.json()) as { refresh_token: string }).refresh_token;
    assert.ok(
      listedApps((await openAccountPage(h.browser)).html).some((a) => a.grant === h.app.grant),
      'still listed',
    );
  }

  it('asks to confirm first, naming the app; nothing is removed until the confirmation is sent', async () => {
    const h = await holder();
    const asked = await postRemove(h.browser, h.app, { confirm: undefined });
    assert.equal(asked.status, 200);
    const html = await asked.text();
    assert.match(html, /Remove access for Payments App\?/);
    assert.match(html, /name="confirm" value="yes"/);
    assert.match(html, /id="keep-access"/, 'a way to keep it');
    await assertStillWorks(h);
    const confirmed = await postRemove(h.browser, h.app);
    assert.equal(confirmed.status, 303);
    assert.equal((await introspect(ctx, payments, h.tokens.access)).active, false);
  });

  it('revokes the grant: refresh is invalid_grant, the access token inactive and refused at userinfo', async () => {
    const h = await holder();
    const other = await holder(invoices, h.browser);
    const res = await postRemove(h.browser, h.app);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${ACCOUNT_URL}?notice=removed`);

    const page = await openAccountPage(h.browser, res.headers.get('location') ?? '');
    assert.match(notice(page.html) ?? '', /^Access removed\./);
    assert.deepEqual(
      listedApps(page.html).map((a) => a.name),
      ['Invoices Inc'],
      'only the other app is left',
    );

    await assertOAuthError(await refresh(ctx, basic(payments), h.tokens.refresh), 400, 'invalid_grant');
    assert.equal((await introspect(ctx, payments, h.tokens.access)).active, false, 'access token inactive');
    assert.equal((await introspect(ctx, payments, h.tokens.refresh, 'refresh_token')).active, false, 'refresh token inactive');
    const info = await userinfo(ctx, h.tokens.access);
    assert.equal(info.status, 401);
    assert.match(info.headers.get('www-authenticate') ?? '', /invalid_token/);

    // The other app keeps its access.
    await assertStillWorks(other, invoices);
  });

  it('forgets the consent: the app has to ask again', async () => {
    const h = await holder();
    assert.equal((await postRemove(h.browser, h.app)).status, 303);
    const step = await h.browser.navigate(authorizeUrl(payments.id).url, ISSUER);
    assert.ok(isConsentPage(step.page), `the consent page, not a silent code (went to ${step.leftTo})`);
  });

  it('spends codes not yet exchanged, so none becomes a new grant', async () => {
    const h = await holder();
    const email = (/Signed in as ([^<]+)</.exec((await openAccountPage(h.browser)).html)?.[1] ?? '').trim();
    const pending = await obtainCode(h.browser, payments.id, email);
    assert.equal((await postRemove(h.browser, listedApps((await openAccountPage(h.browser)).html)[0] as ListedApp)).status, 303);
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), codeParams(pending), basic(payments)), 400, 'invalid_grant');
    assert.deepEqual(listedApps((await openAccountPage(h.browser)).html), []);
  });

  for (const [what, csrf] of [
    ['without the csrf field', undefined],
    ['with a wrong csrf token', 'x'.repeat(43)],
    ['with an empty csrf token', ''],
  ] as const) {
    it(`refuses a form ${what} (403 page) and changes nothing`, async () => {
      const h = await holder();
      const res = await postRemove(h.browser, h.app, { csrf });
      await assertErrorPage(res, 403);
      await assertStillWorks(h);
    });
  }

  it("refuses another session's csrf token, even the same user's", async () => {
    const user = await createTestUser(ctx);
    const h = await holder(payments, inProcessBrowser(ctx), user.email);
    const elsewhere = await holder(invoices, inProcessBrowser(ctx), user.email);
    const res = await postRemove(h.browser, h.app, { csrf: elsewhere.app.csrf });
    await assertErrorPage(res, 403);
    await assertStillWorks(h);
  });

  it("cannot revoke another user's grant, and says no more than for one already gone", async () => {
    const victim = await holder();
    const attacker = await holder();
    const foreign = await postRemove(attacker.browser, attacker.app, { grant: victim.app.grant });
    assert.equal(foreign.status, 303);
    await assertStillWorks(victim);
    await assertStillWorks(attacker);

    const madeUp = await postRemove(attacker.browser, attacker.app, { grant: 'A'.repeat(22) });
    assert.equal((await postRemove(attacker.browser, attacker.app)).status, 303);
    const again = await postRemove(attacker.browser, attacker.app);
    // Someone else's grant, a made-up id and an already removed one: the same answer.
    for (const res of [madeUp, again]) {
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), foreign.headers.get('location'));
    }
    assert.equal(foreign.headers.get('location'), `${ACCOUNT_URL}?notice=gone`);
    const page = await openAccountPage(attacker.browser, foreign.headers.get('location') ?? '');
    assert.equal(notice(page.html), 'That app no longer has access to your account.');
  });

  it('answers a readable 4xx page for malformed input, never a 500', async () => {
    const h = await holder();
    for (const grant of [undefined, '', 'short', 'no spaces allowed here', '%00'.repeat(12), 'x'.repeat(65)]) {
      await assertErrorPage(await postRemove(h.browser, h.app, { grant }), 400);
    }
    const json = await h.browser.request(`${ISSUER}/account/apps/remove`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await assertErrorPage(json, 400);
    const badEncoding = await h.browser.request(`${ISSUER}/account/apps/remove`, { method: 'POST', headers: FORM_HEADERS, body: 'csrf=%E0%A4%A&grant=x' });
    await assertErrorPage(badEncoding, 400);
    const badQuery = await h.browser.request(`${ACCOUNT_URL}?notice=%ZZ`);
    await assertErrorPage(badQuery, 400);
    for (const [path, method, allow] of [
      ['/account/apps/remove', 'GET', 'POST'],
      ['/account/apps', 'POST', 'GET'],
      ['/account/apps', 'PUT', 'GET'],
    ] as const) {
      const res = await h.browser.request(`${ISSUER}${path}`, { method });
      assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
      await assertErrorPage(res, 405);
    }
    const unknown = await h.browser.request(`${ISSUER}/account/nothing`);
    await assertErrorPage(unknown, 404);
    await assertStillWorks(h);
  });

  it('refuses a post without a session (403 page), changing nothing', async () => {
    const h = await holder();
    const res = await postRemove(inProcessBrowser(ctx), h.app);
    await assertErrorPage(res, 403);
    await assertStillWorks(h);
  });
});

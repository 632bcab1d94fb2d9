import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  FORM_HEADERS,
  assertInteractionPage,
  interactionUid,
  assertErrorCallback,
  assertErrorPage,
  codeFrom,
  cookieValue,
  formPost,
  isConsentPage,
  openLoginPage,
  postForm,
  setCookie,
} from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { randomToken } from '../../src/tokens/random.js';
import { INTERACTION_COOKIE, SESSION_COOKIE } from '../helpers/prefix.js';

// An interaction belongs to the browser that started it (a cookie) and each form post carries
// its CSRF token; a finished interaction cannot be used again.
describe('hosted pages: CSRF and browser binding', () => {
  let ctx: TestContext;
  let clientId: string;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx)).client.id;
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  const codeCount = async (): Promise<number> => (await ctx.services.store.db.selectFrom('authorization_codes').select('id').execute()).length;

  async function loginPage(id = clientId): Promise<{ browser: HttpBrowser; page: Page; state: string; interactionCookie: string; interactionUrl: string }> {
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(id);
    const start = await browser.request(req.url);
    const interactionCookie = cookieValue(start, INTERACTION_COOKIE);
    assert.ok(interactionCookie, 'the authorize response binds the interaction to this browser');
    const page = { url: req.url, status: start.status, html: await assertInteractionPage(start) };
    return { browser, page, state: req.state, interactionCookie, interactionUrl: `${ISSUER}/interaction/${interactionUid(page.html)}` };
  }

  it('refuses a login post without the csrf field (403 page, no session)', async () => {
    const { browser, page } = await loginPage();
    const res = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD, csrf: undefined });
    assert.equal(setCookie(res, SESSION_COOKIE), undefined);
    await assertErrorPage(res, 403);
  });

  it('refuses a login post with a wrong csrf token', async () => {
    const { browser, page } = await loginPage();
    const res = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD, csrf: randomToken(32) });
    assert.equal(setCookie(res, SESSION_COOKIE), undefined);
    await assertErrorPage(res, 403);
  });

  it('refuses a login post from a browser without the interaction cookie', async () => {
    const { page } = await loginPage();
    const res = await postForm(inProcessBrowser(ctx), page, '/login', { email, password: TEST_PASSWORD });
    assert.equal(setCookie(res, SESSION_COOKIE), undefined);
    await assertErrorPage(res, 403);
  });

  it("refuses another interaction's cookie (the binding is to this interaction, not any cookie)", async () => {
    const victim = await loginPage();
    const attacker = await loginPage();
    const { url, body } = formPost(victim.page, '/login', { email, password: TEST_PASSWORD });
    const res = await ctx.app.request(url, {
      method: 'POST',
      headers: { ...FORM_HEADERS, cookie: `${INTERACTION_COOKIE}=${attacker.interactionCookie}` },
      body,
    });
    await assertErrorPage(res, 403);
  });

  it('refuses to show the page in a browser without the interaction cookie', async () => {
    const { interactionUrl } = await loginPage();
    await assertErrorPage(await inProcessBrowser(ctx).request(interactionUrl), 403);
  });

  it('refuses a replayed consent post after the interaction completed: an error page, no second code', async () => {
    const { browser, page, state, interactionCookie } = await loginPage();
    const login = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD });
    const session = cookieValue(login, SESSION_COOKIE);
    assert.ok(session);
    const consent = await browser.navigate(login.headers.get('location') ?? '', ISSUER);
    assert.ok(isConsentPage(consent.page));

    const { url, body } = formPost(consent.page, '/consent', { decision: 'approve', scope: ['openid'] });
    const cookie = `${INTERACTION_COOKIE}=${interactionCookie}; ${SESSION_COOKIE}=${session}`;
    const first = await ctx.app.request(url, { method: 'POST', headers: { ...FORM_HEADERS, cookie }, body });
    assert.equal(first.status, 303);
    codeFrom(first.headers.get('location'), { state });
    const codes = await codeCount();

    // The same request, cookies and all, as an attacker or a double click would send it.
    const replay = await ctx.app.request(url, { method: 'POST', headers: { ...FORM_HEADERS, cookie }, body });
    await assertErrorPage(replay, 404);
    assert.equal(await codeCount(), codes, 'no second code');
  });

  it('signs no one in again when the login form is posted a second time at the consent step', async () => {
    const other = await createTestUser(ctx);
    const { browser, page, interactionUrl } = await loginPage();
    const login = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD });
    assert.equal(login.status, 303);
    const sessions = async (): Promise<number> => (await ctx.services.store.db.selectFrom('sessions').select('id').execute()).length;
    const before = await sessions();

    // The back button and the same form again, with the first or another account's password.
    for (const [who, password] of [
      [email, TEST_PASSWORD],
      [other.email, TEST_PASSWORD],
      [email, 'not the password'],
    ] as const) {
      const again = await postForm(browser, page, '/login', { email: who, password });
      assert.equal(again.status, 303, who);
      assert.equal(again.headers.get('location'), interactionUrl, 'back to the step the sign-in is at');
      assert.equal(setCookie(again, SESSION_COOKIE), undefined, 'no new session');
    }
    assert.equal(await sessions(), before);
    const step = await browser.navigate(interactionUrl, ISSUER);
    assert.ok(isConsentPage(step.page));
    assert.ok(step.page?.html.includes(email), 'consent is still asked for the account that signed in');
  });

  it('refuses a consent post while the interaction is still at the login step', async () => {
    const { browser, page, interactionUrl } = await loginPage();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    const codes = await codeCount();
    const res = await browser.request(`${interactionUrl}/consent`, {
      method: 'POST',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ csrf, decision: 'approve', scope: 'openid' }).toString(),
    });
    await assertErrorPage(res, 400);
    assert.equal(await codeCount(), codes);
  });

  it('refuses a consent post with a wrong csrf token', async () => {
    const { browser, page } = await loginPage();
    const consent = await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    assert.ok(isConsentPage(consent.page));
    const res = await postForm(browser, consent.page, '/consent', { decision: 'approve', csrf: 'x'.repeat(43) });
    await assertErrorPage(res, 403);
  });

  it('shows a 404 page for an unknown interaction', async () => {
    const browser = inProcessBrowser(ctx);
    await assertErrorPage(await browser.request(`${ISSUER}/interaction/${randomToken(16)}`), 404);
    await assertErrorPage(await browser.request(`${ISSUER}/interaction/short`), 404);
    const post = await browser.request(`${ISSUER}/interaction/${randomToken(16)}/login`, {
      method: 'POST',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ csrf: 'x', email, password: TEST_PASSWORD }).toString(),
    });
    await assertErrorPage(post, 404);
  });

  it('answers a login post to an id that cannot be one with the 404 page, before reading anything', async () => {
    // The form's POST reads the interaction together with the account (login-lookup.ts): these
    // must not reach the database, where a NUL in text is an error.
    const browser = inProcessBrowser(ctx);
    for (const uid of ['%00aaaaaaaaaaaaaaaa', `${'a'.repeat(65)}`, 'a%2Fbbbbbbbbbbbb', '%E2%80%AEaaaaaaaaaaaa']) {
      const post = await browser.request(`${ISSUER}/interaction/${uid}/login`, {
        method: 'POST',
        headers: FORM_HEADERS,
        body: new URLSearchParams({ csrf: 'x', email, password: TEST_PASSWORD }).toString(),
      });
      await assertErrorPage(post, 404);
    }
  });

  it('refuses the same login post sent again after it succeeded: the 404 page, no second session or code', async () => {
    // A first-party app: the login itself finishes the interaction with a code.
    const { page, interactionCookie } = await loginPage((await createTestClient(ctx, { firstParty: true })).client.id);
    const { url, body } = formPost(page, '/login', { email, password: TEST_PASSWORD });
    const headers = { ...FORM_HEADERS, cookie: `${INTERACTION_COOKIE}=${interactionCookie}` };
    const first = await ctx.app.request(url, { method: 'POST', headers, body });
    assert.equal(first.status, 303);
    const codes = await codeCount();
    const again = await ctx.app.request(url, { method: 'POST', headers, body });
    assert.equal(setCookie(again, SESSION_COOKIE), undefined);
    await assertErrorPage(again, 404);
    assert.equal(await codeCount(), codes);
  });

  it('shows a 404 page once the interaction has expired (10 minutes)', async () => {
    const { browser, page } = await loginPage();
    ctx.clock.advance(601);
    await assertErrorPage(await postForm(browser, page, '/login', { email, password: TEST_PASSWORD }), 404);
  });

  it('the cancel form redirects access_denied with state and iss, and closes the interaction', async () => {
    const { browser, page, state, interactionUrl } = await loginPage();
    const res = await postForm(browser, page, '/abort', {});
    assertErrorCallback(res.headers.get('location'), 'access_denied', { state });
    assert.equal(res.status, 303);
    await assertErrorPage(await browser.request(interactionUrl), 404);
  });

  it('the cancel form also needs the csrf token', async () => {
    const { browser, page, interactionUrl } = await loginPage();
    await assertErrorPage(await postForm(browser, page, '/abort', { csrf: undefined }), 403);
    // The interaction is still usable afterwards.
    assert.equal((await browser.request(interactionUrl)).status, 200);
  });

  it('a second login page for the same browser does not disturb the first', async () => {
    const first = await loginPage();
    const browser = first.browser;
    const req = authorizeUrl(clientId);
    await openLoginPage(browser, req.url);
    const res = await postForm(browser, first.page, '/login', { email, password: TEST_PASSWORD });
    assert.equal(res.status, 303, 'the first interaction still works');
  });
});

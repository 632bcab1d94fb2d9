import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeFrom, interactionUid, isConsentPage, loginError, openLoginPage, postForm, setCookie } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { atRe, SESSION_COOKIE } from '../helpers/prefix.js';

// The login form: one message for every failure, no session on failure, and a per-account
// throttle that stops password guessing without locking the account out for good.
describe('hosted pages: login', () => {
  let ctx: TestContext;
  let clientId: string;

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx, { firstParty: true })).client.id;
  });
  after(() => ctx.close());

  async function loginPage(): Promise<{ browser: HttpBrowser; page: Page; state: string }> {
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(clientId);
    return { browser, page: await openLoginPage(browser, req.url), state: req.state };
  }

  async function attempt(browser: HttpBrowser, page: Page, email: string, password: string): Promise<{ res: Response; html: string }> {
    const res = await postForm(browser, page, '/login', { email, password });
    return { res, html: res.status === 303 ? '' : await res.text() };
  }

  it('shows the same 401 message for a wrong password and an unknown email, and sets no session', async () => {
    const email = (await createTestUser(ctx)).email;
    const { browser, page } = await loginPage();
    const wrong = await attempt(browser, page, email, 'not the password');
    const unknown = await attempt(browser, page, 'nobody-here@example.com', 'not the password');
    for (const { res, html } of [wrong, unknown]) {
      assert.equal(res.status, 401);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(setCookie(res, SESSION_COOKIE), undefined, 'no session cookie');
      assert.match(html, new RegExp(`action="${atRe('/interaction/')}[^"]+/login"`), 'the form is shown again');
    }
    assert.equal(loginError(wrong.html), 'The email or password is incorrect.');
    assert.equal(loginError(unknown.html), loginError(wrong.html));
    // The typed email is kept, but never the password.
    assert.match(wrong.html, new RegExp(`name="email"[^>]*value="${email.replace(/[.]/g, '\\.')}"`));
    assert.ok(!wrong.html.includes('not the password'));
  });

  it('starts a session and continues after the right password', async () => {
    const email = (await createTestUser(ctx)).email;
    const { browser, page, state } = await loginPage();
    const { res } = await attempt(browser, page, email, TEST_PASSWORD);
    assert.equal(res.status, 303);
    assert.ok(setCookie(res, SESSION_COOKIE), 'a session cookie');
    codeFrom(res.headers.get('location'), { state });
  });

  it('accepts the email in another letter case', async () => {
    const email = (await createTestUser(ctx)).email;
    const { browser, page } = await loginPage();
    const { res } = await attempt(browser, page, `  ${email.toUpperCase()} `, TEST_PASSWORD);
    assert.equal(res.status, 303);
  });

  it('refuses a disabled user with no session: told it is disabled only after the right password', async () => {
    const user = await createTestUser(ctx);
    await ctx.scope.repos.users.setDisabled(user.id, true);
    const { browser, page } = await loginPage();
    const wrong = await attempt(browser, page, user.email, 'not the password');
    assert.equal(wrong.res.status, 401);
    assert.equal(loginError(wrong.html), 'The email or password is incorrect.', 'a wrong password tells nothing more');
    const { res, html } = await attempt(browser, page, user.email, TEST_PASSWORD);
    assert.equal(res.status, 403);
    assert.match(loginError(html) ?? '', /^This account has been disabled\. Contact the support of Gatehouse/);
    assert.equal(setCookie(res, SESSION_COOKIE), undefined);
  });

  it('ends the SSO of a user disabled after signing in', async () => {
    const user = await createTestUser(ctx);
    const { browser, page } = await loginPage();
    assert.equal((await attempt(browser, page, user.email, TEST_PASSWORD)).res.status, 303);
    await ctx.scope.repos.users.setDisabled(user.id, true);
    await openLoginPage(browser, authorizeUrl(clientId).url);
  });

  it('throttles an account after 10 failures, even for the right password, until the window passes', async () => {
    assert.equal(ctx.config.login.maxFailures, 10);
    const email = (await createTestUser(ctx)).email;
    const { browser, page } = await loginPage();
    for (let i = 0; i < 10; i++) {
      assert.equal((await attempt(browser, page, email, `wrong-${i}`)).res.status, 401, `attempt ${i + 1}`);
    }
    const blocked = await attempt(browser, page, email, TEST_PASSWORD);
    assert.equal(blocked.res.status, 429);
    assert.match(loginError(blocked.html) ?? '', /Too many failed sign-in attempts\. Wait 15 minutes/);
    assert.equal(setCookie(blocked.res, SESSION_COOKIE), undefined, 'no session while throttled');

    // Another account from the same address is not held up by this one.
    const other = (await createTestUser(ctx)).email;
    const fresh = await loginPage();
    assert.equal((await attempt(fresh.browser, fresh.page, other, TEST_PASSWORD)).res.status, 303);

    // Still blocked just before the window ends; free after it.
    ctx.clock.advance(899);
    const late = await loginPage();
    assert.equal((await attempt(late.browser, late.page, email, TEST_PASSWORD)).res.status, 429);
    ctx.clock.advance(2);
    const after = await loginPage();
    const ok = await attempt(after.browser, after.page, email, TEST_PASSWORD);
    assert.equal(ok.res.status, 303);
    codeFrom(ok.res.headers.get('location'), { state: after.state });
  });

  it('a success resets the failure count', async () => {
    const email = (await createTestUser(ctx)).email;
    const { browser, page } = await loginPage();
    for (let i = 0; i < 9; i++) await attempt(browser, page, email, `wrong-${i}`);
    assert.equal((await attempt(browser, page, email, TEST_PASSWORD)).res.status, 303);
    const again = await loginPage();
    for (let i = 0; i < 9; i++) await attempt(again.browser, again.page, email, `wrong-${i}`);
    assert.equal((await attempt(again.browser, again.page, email, TEST_PASSWORD)).res.status, 303, 'not blocked at 9 + 9');
  });

  it('after login on a third-party client, continues to the consent page of the same interaction', async () => {
    const thirdParty = (await createTestClient(ctx)).client.id;
    const email = (await createTestUser(ctx)).email;
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(thirdParty).url);
    const step = await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    assert.ok(isConsentPage(step.page));
    assert.equal(interactionUid(step.page.html), interactionUid(page.html));
  });
});

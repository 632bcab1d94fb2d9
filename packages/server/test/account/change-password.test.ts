import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL, notice, openAccountPage, signInOnAccountPage, tokensFor } from '../helpers/account-pages.js';
import { FORM_HEADERS, isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { TEST_PASSWORD, type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, basic, confidentialClient, refresh } from '../helpers/oauth-requests.js';
import { browserAt, formError } from '../helpers/password-pages.js';
import { atRe } from '../helpers/prefix.js';

const PASSWORD_URL = `${ISSUER}/account/password`;
const NEW_PASSWORD = 'a changed passphrase, long enough';
const CHANGED = 'Your password has been changed. Every other browser signed in to your account has been signed out.';

/** The change form's CSRF token, from the page a signed-in browser gets. */
async function formToken(browser: HttpBrowser): Promise<string> {
  const res = await browser.request(PASSWORD_URL);
  const html = await res.text();
  assert.equal(res.status, 200, html.slice(0, 300));
  assert.match(html, /Change your password/);
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(csrf, 'the form carries a CSRF token');
  return csrf;
}

/** Posts the change form; `fields` override (undefined drops) what a person would send. */
async function change(browser: HttpBrowser, fields: Record<string, string | undefined>): Promise<Response> {
  const all: Record<string, string | undefined> = {
    csrf: await formToken(browser),
    current: TEST_PASSWORD,
    password: NEW_PASSWORD,
    confirm: NEW_PASSWORD,
    ...fields,
  };
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (value !== undefined) body.set(name, value);
  return browser.request(PASSWORD_URL, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
}

// A signed-in person changes their own password on the account pages, without mail: the current
// password first, counted as sign-in failures when wrong; the new one ends every other session.
describe('account page: changing the password', () => {
  let ctx: TestContext;
  let client: Confidential;
  let ip = 0;
  const nextBrowser = (): HttpBrowser => browserAt(ctx, `192.0.2.${++ip}`);

  async function signedIn(email: string, password = TEST_PASSWORD): Promise<HttpBrowser> {
    const browser = nextBrowser();
    const res = await signInOnAccountPage(browser, email, password);
    assert.equal(res.status, 303);
    await openAccountPage(browser);
    return browser;
  }

  /** Whether `password` signs `email` in, from a fresh browser. */
  async function signsIn(email: string, password: string): Promise<boolean> {
    return (await signInOnAccountPage(nextBrowser(), email, password)).status === 303;
  }

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_TRUST_PROXY: 'true' });
    client = await confidentialClient(ctx);
  });
  after(() => ctx.close());

  it('without a session the page is the sign-in form; signed in, the account page links to it', async () => {
    const res = await nextBrowser().request(PASSWORD_URL);
    const html = await res.text();
    assert.ok(isLoginPage({ url: PASSWORD_URL, status: res.status, html }), 'the sign-in form');
    const user = await createTestUser(ctx);
    const page = await openAccountPage(await signedIn(user.email));
    assert.match(page.html, new RegExp(`<a href="${atRe('/account/password')}" id="change-password-link">Change your password</a>`));
  });

  it('changes it: this browser stays signed in, every other one is signed out with the grants given through it', async () => {
    const user = await createTestUser(ctx);
    const other = await signedIn(user.email);
    const { refresh: refreshToken } = await tokensFor(ctx, client, user.email, nextBrowser());
    const browser = await signedIn(user.email);

    const res = await change(browser, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${ACCOUNT_URL}?notice=password`);
    const page = await openAccountPage(browser, `${ACCOUNT_URL}?notice=password`);
    assert.equal(notice(page.html), CHANGED);

    const elsewhere = await other.request(ACCOUNT_URL);
    assert.ok(isLoginPage({ url: ACCOUNT_URL, status: elsewhere.status, html: await elsewhere.text() }), 'the other browser must sign in again');
    assert.equal(await signsIn(user.email, TEST_PASSWORD), false, 'the old password is refused');
    assert.equal(await signsIn(user.email, NEW_PASSWORD), true, 'the new one signs in');
    // The app was signed in through another browser's session, without offline_access: its grant
    // ended with that session (OIDC Core §11).
    assert.equal((await refresh(ctx, basic(client), refreshToken)).status, 400, 'the grant ended with its session');
  });

  it('a wrong current password changes nothing and counts as a failed sign-in, until the account is held back', async () => {
    const user = await createTestUser(ctx);
    const browser = await signedIn(user.email);
    const { maxFailures } = ctx.config.login;
    for (let i = 0; i < maxFailures; i++) {
      const res = await change(browser, { current: `not the password ${i}` });
      assert.equal(res.status, 400);
      assert.equal(formError(await res.text()), 'The current password is not right.');
    }
    const held = await change(browser, {});
    assert.equal(held.status, 429, 'even the right password waits now');
    assert.match(formError(await held.text()) ?? '', /^Too many wrong passwords\. Wait \d+ minutes and try again\.$/);
    ctx.clock.advance(ctx.config.login.windowSeconds);
    assert.equal(await signsIn(user.email, TEST_PASSWORD), true, 'unchanged');
  });

  it('a new password typed differently twice, too short or missing is refused with the reason', async () => {
    const user = await createTestUser(ctx);
    const browser = await signedIn(user.email);
    const cases: [Record<string, string | undefined>, string][] = [
      [{ confirm: 'something else entirely' }, 'The two passwords are not the same.'],
      [{ password: 'short', confirm: 'short' }, 'The password must be at least 8 characters.'],
      [{ password: undefined, confirm: undefined }, 'Enter the new password twice.'],
    ];
    for (const [fields, reason] of cases) {
      const res = await change(browser, fields);
      assert.equal(res.status, 400);
      assert.equal(formError(await res.text()), reason);
    }
    assert.equal(await signsIn(user.email, TEST_PASSWORD), true, 'unchanged');
  });

  it("without the form's CSRF token, with another session's, or with no session, nothing changes (403)", async () => {
    const user = await createTestUser(ctx);
    const browser = await signedIn(user.email);
    const otherToken = await formToken(await signedIn((await createTestUser(ctx)).email));
    for (const csrf of [undefined, '', otherToken]) assert.equal((await change(browser, { csrf })).status, 403);
    const anonymous = await nextBrowser().request(PASSWORD_URL, {
      method: 'POST',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ csrf: otherToken, current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD }).toString(),
    });
    assert.equal(anonymous.status, 403);
    assert.match(await anonymous.text(), /You are not signed in/);
    assert.equal(await signsIn(user.email, TEST_PASSWORD), true, 'unchanged');
  });

  it('malformed input gets a readable page, never a 500, and changes nothing', async () => {
    const user = await createTestUser(ctx);
    const browser = await signedIn(user.email);
    const csrf = await formToken(browser);
    const bodies: [string, Record<string, string>][] = [
      [`csrf=${csrf}&current=%ZZ&password=x&confirm=x`, FORM_HEADERS],
      ['\u0000\u00ff', FORM_HEADERS],
      ['x'.repeat(300_000), FORM_HEADERS],
      ['{}', { 'content-type': 'application/json' }],
    ];
    for (const [body, headers] of bodies) {
      const res = await browser.request(PASSWORD_URL, { method: 'POST', headers, body });
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} for ${body.slice(0, 30)}`);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/);
      assert.doesNotMatch(await res.text(), /\bat .+\.(ts|js):\d+/, 'no stack trace');
    }
    assert.equal(await signsIn(user.email, TEST_PASSWORD), true, 'unchanged');
  });

  it('answers other methods with 405', async () => {
    const res = await nextBrowser().request(PASSWORD_URL, { method: 'PUT' });
    assert.equal(res.status, 405);
  });
});

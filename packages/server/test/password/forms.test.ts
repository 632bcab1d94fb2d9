import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInOnAccountPage } from '../helpers/account-pages.js';
import { FORM_HEADERS, setCookie } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import { formIn } from '../helpers/http-browser.js';
import {
  type MailTestContext,
  CHANGED_TEXT,
  FORGOT_URL,
  RESET_URL,
  SENT_TEXT,
  askForLink,
  browserAt,
  formError,
  mailTestContext,
  mailsTo,
  onlyLinkTo,
  setNewPassword,
  submitForm,
} from '../helpers/password-pages.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';
import { at, PASSWORD_FORM_COOKIE } from '../helpers/prefix.js';

const NEW_PASSWORD = 'another good passphrase';

/** The headers every hosted page has (see interactions/security-headers.test.ts). */
function assertPageHeaders(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.match(csp, /default-src 'none'/, what);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(res.headers.get('cache-control'), 'no-store', what);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/, what);
}

// The reset forms: CSRF, the new-password rules, headers, and input that must never become a 500.
describe('password reset: forms', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  let ip = 0;
  const nextBrowser = () => browserAt(ctx, `203.0.113.${++ip}`);

  let mail: MailTestContext;
  before(async () => {
    mail = await mailTestContext();
    ({ ctx, sink } = mail);
  });
  after(() => mail.close());

  it('every page has the security headers, and the form cookie is HttpOnly, SameSite and scoped to /password', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    const forgot = await browser.request(FORGOT_URL);
    assertPageHeaders(forgot, 'forgot form');
    const cookie = setCookie(forgot, PASSWORD_FORM_COOKIE) ?? '';
    for (const want of ['httponly', 'samesite=lax', `path=${at('/password').toLowerCase()}`])
      assert.ok(cookie.toLowerCase().includes(want), `${want} in ${cookie}`);
    assertPageHeaders(await askForLink(browser, user.email), 'link sent');
    const link = await onlyLinkTo(ctx, sink, user.email);
    assertPageHeaders(await browser.request(link), 'new-password form');
    assertPageHeaders(await browser.request(`${RESET_URL}?token=nope`), 'invalid link');
    assertPageHeaders(await setNewPassword(browser, link, NEW_PASSWORD), 'password changed');
  });

  it('a request for a link without the CSRF token, or with a wrong one, is refused and sends nothing', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    for (const csrf of [undefined, 'wrong', '']) {
      const res = await askForLink(browser, user.email, { csrf });
      const html = await res.text();
      assert.equal(res.status, 403, html.slice(0, 300));
      assert.match(html, /The form could not be verified/);
      assert.ok(!html.includes(SENT_TEXT));
    }
    // Another browser's token, with this browser's cookie (a cross-site post).
    const other = nextBrowser();
    const csrf = formIn(await (await other.request(FORGOT_URL)).text(), '/password/forgot').hidden.find(([n]) => n === 'csrf')?.[1];
    assert.equal((await askForLink(browser, user.email, { csrf })).status, 403);
    // A valid token without the cookie it belongs to.
    const cookieless = await ctx.app.request(FORGOT_URL, {
      method: 'POST',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ csrf: csrf ?? '', email: user.email }).toString(),
    });
    assert.equal(cookieless.status, 403);
    assert.deepEqual(await mailsTo(ctx, sink, user.email), []);
    assert.equal((await askForLink(browser, user.email)).status, 200, 'the form as served works');
  });

  it('a new password without the CSRF token, or with a wrong one, is refused and the link stays usable', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    await askForLink(browser, user.email);
    const link = await onlyLinkTo(ctx, sink, user.email);
    for (const csrf of [undefined, 'wrong']) {
      const res = await setNewPassword(browser, link, NEW_PASSWORD, { csrf });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /The form could not be verified/);
    }
    const elsewhere = nextBrowser();
    const foreign = formIn(await (await elsewhere.request(link)).text(), '/password/reset').hidden.find(([n]) => n === 'csrf')?.[1];
    assert.equal((await setNewPassword(browser, link, NEW_PASSWORD, { csrf: foreign })).status, 403, "another browser's token");
    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, TEST_PASSWORD)).status, 303, 'the password is unchanged');
    assert.equal((await setNewPassword(browser, link, NEW_PASSWORD)).status, 200, 'the link still works');
  });

  it('mismatched, short, long or missing passwords are refused with a readable page, and the link stays usable', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    await askForLink(browser, user.email);
    const link = await onlyLinkTo(ctx, sink, user.email);
    const cases: [Record<string, string | undefined>, string][] = [
      [{ password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` }, 'The two passwords are not the same.'],
      [{ password: 'short', confirm: 'short' }, 'The password must be at least 8 characters.'],
      // Seven characters, eight UTF-16 units: counted as the CLI counts them.
      [{ password: 'abcdef😀', confirm: 'abcdef😀' }, 'The password must be at least 8 characters.'],
      [{ password: 'x'.repeat(1025), confirm: 'x'.repeat(1025) }, 'The password must be at most 1024 characters.'],
      [{ password: undefined, confirm: undefined }, 'Enter the new password twice.'],
      [{ password: NEW_PASSWORD, confirm: undefined }, 'Enter the new password twice.'],
    ];
    for (const [fields, message] of cases) {
      const res = await setNewPassword(browser, link, NEW_PASSWORD, fields);
      const html = await res.text();
      assert.equal(res.status, 400, message);
      assert.equal(formError(html), message);
      assert.match(html, /name="token" value="[A-Za-z0-9_-]{43}"/, 'the form again, with the token');
    }
    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, TEST_PASSWORD)).status, 303, 'nothing changed');
    const ok = await setNewPassword(browser, link, 'x'.repeat(1024));
    assert.equal(ok.status, 200, 'the link still works; 1024 characters are allowed');
    assert.ok((await ok.text()).includes(CHANGED_TEXT));
  });

  it('an empty or overlong email shows the form again with an error', async () => {
    for (const email of ['', '   ', `${'x'.repeat(320)}@example.com`]) {
      const res = await askForLink(nextBrowser(), email);
      const html = await res.text();
      assert.equal(res.status, 400);
      assert.equal(formError(html), 'Enter the email address of your account.');
      assert.match(html, /id="forgot-form"/);
    }
  });

  it('malformed input gets a readable page, never a 500', async () => {
    const browser = nextBrowser();
    const html = await (await browser.request(FORGOT_URL)).text();
    const csrf = formIn(html, '/password/forgot').hidden.find(([n]) => n === 'csrf')?.[1] ?? '';
    const posts: [string, string, Record<string, string>?][] = [
      [FORGOT_URL, `csrf=${csrf}&email=a@b.example&email=c@d.example`],
      [FORGOT_URL, `csrf=${csrf}&email=%E0%A4%A`],
      [FORGOT_URL, `csrf=${csrf}&email=a%00b@example.com`],
      [FORGOT_URL, `csrf=${csrf}&email=%FF%FE`],
      [FORGOT_URL, `csrf=${csrf}&email=a@b.example`, { 'content-type': 'application/json' }],
      [FORGOT_URL, `csrf=${csrf}&email=${'a'.repeat(70_000)}`],
      [FORGOT_URL, ''],
      [RESET_URL, `csrf=${csrf}&token=${'A'.repeat(43)}&password=${NEW_PASSWORD}&confirm=${NEW_PASSWORD}`],
      [RESET_URL, `csrf=${csrf}&token=<script>&password=x&confirm=x`],
      [RESET_URL, `csrf=${csrf}&token=a&token=b`],
      [RESET_URL, `csrf=${csrf}&password=${'x'.repeat(2000)}&confirm=y`],
      [RESET_URL, `csrf=${csrf}&token=%00`],
      [RESET_URL, `csrf=${csrf}`],
    ];
    for (const [url, body, headers] of posts) {
      const res = await browser.request(url, { method: 'POST', headers: headers ?? FORM_HEADERS, body });
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} for ${body.slice(0, 80)}`);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/, `a page for ${body.slice(0, 80)}`);
      assert.match(text, /role="alert"/);
    }
    for (const query of [
      '',
      '?token=',
      '?token=a&token=b',
      '?token=%E0%A4%A',
      '?token=%00',
      `?token=${'A'.repeat(43)}`,
      '?token=../../etc',
      `?token=${'x'.repeat(5000)}`,
    ]) {
      const res = await browser.request(`${RESET_URL}${query}`);
      const text = await res.text();
      assert.equal(res.status, 400, `GET ${query.slice(0, 60)}`);
      assert.match(text, /role="alert"/);
    }
    for (const method of ['PUT', 'DELETE']) {
      const res = await browser.request(FORGOT_URL, { method });
      assert.equal(res.status, 405);
      assert.match(await res.text(), /role="alert"/);
    }
  });

  it("the link is the issuer's, whatever Host or forwarding headers the request had", async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    const res = await submitForm(browser, `http://evil.example${at('/password/forgot')}`, '/password/forgot', { email: user.email });
    assert.equal(res.status, 200);
    await res.text();
    const link = await onlyLinkTo(ctx, sink, user.email);
    assert.ok(link.startsWith(`${ISSUER}/password/reset?token=`), link);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL } from '../helpers/account-pages.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { FORGOT_URL, RESET_URL } from '../helpers/password-pages.js';

// Without GATEHOUSE_SMTP_URL and GATEHOUSE_MAIL_FROM there is no way to reach anyone, so no
// reset at all: no link, and the paths do not exist.
describe('password reset: off without mail settings', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('the sign-in page has no "Forgot your password?" link', async () => {
    const html = await (await inProcessBrowser(ctx).request(ACCOUNT_URL)).text();
    assert.match(html, /id="login-form"/);
    assert.doesNotMatch(html, /Forgot your password|\/password\/forgot/);
  });

  it('the reset paths answer 404 with a page', async () => {
    const browser = inProcessBrowser(ctx);
    for (const [url, init] of [
      [FORGOT_URL, {}],
      [FORGOT_URL, { method: 'POST', headers: FORM_HEADERS, body: 'email=a@b.example' }],
      [`${RESET_URL}?token=${'A'.repeat(43)}`, {}],
      [RESET_URL, { method: 'POST', headers: FORM_HEADERS, body: 'token=x&password=12345678&confirm=12345678' }],
    ] as const) {
      const res = await browser.request(url, init);
      assert.equal(res.status, 404, `${init.method ?? 'GET'} ${url}`);
      assert.match(await res.text(), /Page not found/);
    }
    assert.equal(ctx.services.outbox, undefined);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openLoginPage, postForm } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

/** The attributes of the element with `id` on a page. */
function tag(html: string, id: string): string {
  const found = new RegExp(`<[a-z]+ [^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  assert.ok(found, `#${id} is on the page`);
  return found;
}

// What a person notices on the hosted pages: where the focus is, where a link leads back, that
// the sign-out page says who is signed out of what.
describe('hosted pages: focus, ways back, and who is signed out', () => {
  let ctx: TestContext;
  let clientId: string;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:1', GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
    clientId = (await createTestClient(ctx, { name: 'Payments App', firstParty: true })).client.id;
  });
  after(() => ctx.close());

  it('the sign-in form focuses the email field, or the password when the email is known', async () => {
    const page = await openLoginPage(inProcessBrowser(ctx), authorizeUrl(clientId).url);
    assert.match(tag(page.html, 'email'), /autofocus/);
    assert.doesNotMatch(tag(page.html, 'password'), /autofocus/);
    const hinted = await openLoginPage(inProcessBrowser(ctx), authorizeUrl(clientId, { login_hint: 'ada@example.com' }).url);
    assert.doesNotMatch(tag(hinted.html, 'email'), /autofocus/);
    assert.match(tag(hinted.html, 'password'), /autofocus/);
  });

  it('after a failed attempt the focus is on the message, which the fields point to', async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(clientId).url);
    const res = await postForm(browser, page, '/login', { email: 'nobody@example.com', password: 'wrong' });
    const html = await res.text();
    assert.match(tag(html, 'login-error'), /tabindex="-1"[^>]*autofocus|autofocus[^>]*tabindex="-1"/);
    assert.doesNotMatch(tag(html, 'email'), /autofocus/);
    assert.doesNotMatch(tag(html, 'password'), /autofocus/);
    assert.match(tag(html, 'email'), /aria-describedby="login-error"/);
  });

  it('"Forgot your password?" leads back to the sign-in it came from', async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(clientId).url);
    const uid = /\/interaction\/([A-Za-z0-9_-]+)\/login/.exec(page.html)?.[1];
    const forgot = await browser.navigate(`${ISSUER}/password/forgot?return=${uid}`, ISSUER);
    assert.match(tag(forgot.page?.html ?? '', 'back-to-sign-in'), new RegExp(`href="${at(`/interaction/${uid}`)}"`));
    const plain = await browser.navigate(`${ISSUER}/password/forgot`, ISSUER);
    assert.ok(tag(plain.page?.html ?? '', 'back-to-sign-in').includes(`href="${at('/account/apps')}"`));
  });

  it('the sign-out confirmation names the account and the app; the signed-out page offers a way back', async () => {
    const email = (await createTestUser(ctx)).email;
    const browser = inProcessBrowser(ctx);
    assert.ok((await runFlow(browser, authorizeUrl(clientId).url, { email })).callback);
    const confirm = await browser.navigate(`${ISSUER}/oauth/logout?client_id=${clientId}`, ISSUER);
    assert.ok(confirm.page);
    assert.match(confirm.page.html, new RegExp(`Signed in as ${email.replace('.', '\\.')}`));
    assert.match(confirm.page.html, /Payments App asked to sign you out\./);
    const out = await browser.submit(confirm.page, '/oauth/logout/confirm', { decision: 'logout' }, ISSUER);
    assert.match(out.page?.html ?? '', /You have signed out/);
    assert.ok(tag(out.page?.html ?? '', 'way-back').includes(`href="${at('/account/apps')}"`));
  });
});

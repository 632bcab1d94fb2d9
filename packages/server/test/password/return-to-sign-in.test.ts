import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeFrom, interactionUid, openLoginPage, postForm } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import {
  CHANGED_TEXT,
  FORGOT_URL,
  type MailTestContext,
  SENT_TEXT,
  browserAt,
  mailTestContext,
  onlyLinkTo,
  setNewPassword,
  submitForm,
} from '../helpers/password-pages.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';
import { at } from '../helpers/prefix.js';

const NEW_PASSWORD = 'a fresh passphrase for the app';

/** The "continue signing in" link of the password-changed page, if it has one. */
const continueLink = (html: string): string | undefined => /<a href="([^"]+)"[^>]* id="continue-sign-in"/.exec(html)?.[1];

// Someone who forgets their password in the middle of signing in to an app gets back to that
// sign-in once the new password is set, in the same browser, while the sign-in is still open.
describe('password reset: back to the sign-in it started from', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  let clientId: string;
  let ip = 0;
  const nextBrowser = (): HttpBrowser => browserAt(ctx, `198.51.100.${++ip}`);

  let mail: MailTestContext;
  before(async () => {
    mail = await mailTestContext();
    ({ ctx, sink } = mail);
    clientId = (await createTestClient(ctx, { firstParty: true })).client.id;
  });
  after(() => mail.close());

  /** Opens the app's sign-in page and asks for a link from its "Forgot your password?". */
  async function forgetFromSignIn(browser: HttpBrowser, email: string): Promise<{ uid: string; state: string }> {
    const request = authorizeUrl(clientId);
    const login = await openLoginPage(browser, request.url);
    const uid = interactionUid(login.html);
    const forgot = /<a href="([^"]+)" id="forgot-password"/.exec(login.html)?.[1];
    assert.equal(forgot, at(`/password/forgot?return=${uid}`));
    const sent = await submitForm(browser, new URL(forgot, ISSUER).href, '/password/forgot', { email });
    assert.ok((await sent.text()).includes(SENT_TEXT));
    return { uid, state: request.state };
  }

  it('the new password leads back to the sign-in, which then ends with a code for the app', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    const { uid, state } = await forgetFromSignIn(browser, user.email);

    const changed = await setNewPassword(browser, await onlyLinkTo(ctx, sink, user.email), NEW_PASSWORD);
    const html = await changed.text();
    assert.ok(html.includes(CHANGED_TEXT));
    assert.equal(continueLink(html), at(`/interaction/${uid}`));
    assert.match(html, /Continue to Example Business/);

    const login = await openLoginPage(browser, `${ISSUER}/interaction/${uid}`);
    const signedIn = await postForm(browser, login, '/login', { email: user.email, password: NEW_PASSWORD });
    assert.equal(signedIn.status, 303);
    codeFrom(signedIn.headers.get('location'), { state });

    // Once used, the way back is gone: a second reset in this browser offers no link.
    const again = await setNewPassword(browser, await onlyLinkAfterAsking(browser, user.email), `${NEW_PASSWORD} again`);
    assert.equal(continueLink(await again.text()), undefined);
  });

  /** Asks for another link from the plain form and returns it. */
  async function onlyLinkAfterAsking(browser: HttpBrowser, email: string): Promise<string> {
    sink.received.length = 0;
    await submitForm(browser, FORGOT_URL, '/password/forgot', { email });
    return onlyLinkTo(ctx, sink, email);
  }

  it("from the account page's sign-in, it leads back to the account page", async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    const signIn = await browser.request(`${ISSUER}/account/apps`);
    const html = await signIn.text();
    const uid = interactionUid(html);
    assert.equal(/<a href="([^"]+)" id="forgot-password"/.exec(html)?.[1], at(`/password/forgot?return=${uid}`));
    await submitForm(browser, `${ISSUER}/password/forgot?return=${uid}`, '/password/forgot', { email: user.email });
    const changed = await (await setNewPassword(browser, await onlyLinkTo(ctx, sink, user.email), NEW_PASSWORD)).text();
    assert.equal(continueLink(changed), at(`/interaction/${uid}`));
    assert.match(changed, /Continue to your account/);
    const login = await openLoginPage(browser, `${ISSUER}/interaction/${uid}`);
    const signedIn = await postForm(browser, login, '/login', { email: user.email, password: NEW_PASSWORD });
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers.get('location'), `${ISSUER}/account/apps`);
  });

  it("a link opened in another browser changes the password but offers no way into the first one's sign-in", async () => {
    const user = await createTestUser(ctx);
    await forgetFromSignIn(nextBrowser(), user.email);
    const changed = await setNewPassword(nextBrowser(), await onlyLinkTo(ctx, sink, user.email), NEW_PASSWORD);
    const html = await changed.text();
    assert.ok(html.includes(CHANGED_TEXT));
    assert.equal(continueLink(html), undefined);
  });

  it('a sign-in that expired meanwhile is not offered', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    await forgetFromSignIn(browser, user.email);
    const link = await onlyLinkTo(ctx, sink, user.email);
    ctx.clock.advance(ctx.config.interactionTtl + 1);
    const html = await (await setNewPassword(browser, link, NEW_PASSWORD)).text();
    assert.ok(html.includes(CHANGED_TEXT));
    assert.equal(continueLink(html), undefined);
  });

  it('a malformed query on the form is ignored, not an error', async () => {
    for (const query of ['?return=a&return=b', '?%', '?return=%ZZ', `?return=${'x'.repeat(5000)}`]) {
      const res = await nextBrowser().request(`${FORGOT_URL}${query}`);
      assert.equal(res.status, 200, query);
      assert.doesNotMatch(await res.text(), /name="return"/, query);
    }
  });

  it('a return value that is no open sign-in, or is malformed, is ignored', async () => {
    for (const value of ['not-a-sign-in-0123456789', '"><script>alert(1)</script>', '../../account']) {
      const user = await createTestUser(ctx);
      const browser = nextBrowser();
      const form = await browser.request(`${FORGOT_URL}?return=${encodeURIComponent(value)}`);
      assert.equal(form.status, 200);
      assert.ok(!(await form.text()).includes('<script>alert'), 'nothing of it is echoed raw');
      await submitForm(browser, `${FORGOT_URL}?return=${encodeURIComponent(value)}`, '/password/forgot', { email: user.email, return: value });
      const html = await (await setNewPassword(browser, await onlyLinkTo(ctx, sink, user.email), NEW_PASSWORD)).text();
      assert.ok(html.includes(CHANGED_TEXT));
      assert.equal(continueLink(html), undefined, value);
    }
  });
});

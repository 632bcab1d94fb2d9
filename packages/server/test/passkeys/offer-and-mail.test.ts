import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { User } from '../../src/store/repos/users.js';
import { FORM_HEADERS, formPost } from '../helpers/authorize-pages.js';
import { ACCOUNT_URL, signInOnAccountPage } from '../helpers/account-pages.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER, at } from '../helpers/prefix.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';
import { VirtualAuthenticator } from '../helpers/virtual-authenticator.js';
import { WAIT_GUARD_MS, until } from '../helpers/wait.js';

// "Add a passkey?" right after sign-up (the page the sign-up redirects to), and the mails that
// tell the owner a passkey was added or removed, through real SMTP to a local sink.
const ORIGIN = new URL(ISSUER).origin;
const OFFER_URL = `${ISSUER}/account/security/passkeys/offer`;
const INTERACTION = 'AbCdEfGhIjKlMnOp0123';

async function page(browser: HttpBrowser, url: string): Promise<Page> {
  const res = await browser.request(url);
  return { url, status: res.status, html: await res.text() };
}

describe('the passkey offer after sign-up, and the notification mails', { timeout: 3 * WAIT_GUARD_MS }, () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  let authenticator: VirtualAuthenticator;
  let user: User;
  let browser: HttpBrowser;

  before(async () => {
    sink = await startSmtpSink();
    ctx = await createTestContext({ GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
    user = await createTestUser(ctx);
    authenticator = await VirtualAuthenticator.start();
    browser = inProcessBrowser(ctx);
    assert.equal((await signInOnAccountPage(browser, user.email, undefined, ACCOUNT_URL)).status, 303);
  });
  after(async () => {
    await authenticator?.close();
    await ctx?.close();
    await sink?.close();
  });

  it('goes on only to an interaction, or to the account page', async () => {
    const offer = await page(browser, `${OFFER_URL}?next=${INTERACTION}`);
    assert.equal(offer.status, 200);
    assert.match(offer.html, /Add a passkey\?/);
    assert.match(offer.html, new RegExp(`<input type="hidden" name="next" value="${INTERACTION}"/>`));
    assert.match(offer.html, new RegExp(`<a href="${ISSUER}/interaction/${INTERACTION}" id="skip-passkey">`));
    for (const next of ['https://evil.example', '../../admin', '']) {
      const other = await page(browser, `${OFFER_URL}?next=${encodeURIComponent(next)}`);
      assert.match(other.html, new RegExp(`<a href="${ISSUER}/account/apps" id="skip-passkey">`), next);
      assert.doesNotMatch(other.html, /name="next"/);
    }
  });

  it('adds the passkey from the offer, goes on to the sign-in, and mails the owner', async () => {
    const offer = await page(browser, `${OFFER_URL}?next=${INTERACTION}`);
    const raw = /data-options="([^"]*)"/.exec(offer.html)?.[1] ?? '';
    const options = JSON.parse(raw.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as PublicKeyCredentialCreationOptionsJSON;
    const response = await authenticator.create(ORIGIN, options);
    const post = formPost(offer, '/account/security/passkeys/add', { name: 'New phone', response });
    const res = await browser.request(post.url, { method: 'POST', headers: FORM_HEADERS, body: post.body });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${ISSUER}/interaction/${INTERACTION}`);
    await until(() => sink.received.length >= 1, 'the "passkey added" mail arrived');
    const mail = sink.received[0];
    assert.deepEqual(mail?.to, [user.email]);
    assert.equal(mail?.subject, 'A passkey was added to your Gatehouse account');
    assert.match(mail?.text ?? '', /A passkey named "New phone" was added/);
  });

  it('mails the owner when a passkey is removed', async () => {
    const list = await page(browser, `${ISSUER}/account/security/passkeys`);
    const removed = await browser.submit(list, at('/account/security/passkeys/remove'), {}, ISSUER);
    assert.match(removed.page?.html ?? '', /The passkey was removed\./);
    await until(() => sink.received.length >= 2, 'the "passkey removed" mail arrived');
    assert.equal(sink.received[1]?.subject, 'A passkey was removed from your Gatehouse account');
  });
});

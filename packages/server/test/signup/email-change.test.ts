import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import { createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type MailTestContext, browserAt, linkIn, mailsTo } from '../helpers/password-pages.js';
import { signInOnAccountPage } from '../helpers/account-pages.js';
import { inviteUser } from '../../src/services/users.js';
import { asPage, codeIn, enterCode, followLink, lastMailTo, pageError, post, signUpContext, verifyLinkIn } from './signup-pages.js';

const EMAIL_URL = `${ISSUER}/account/email`;

describe('changing the email: the new address verified, the old one told', () => {
  let mail: MailTestContext;
  let ip = 0;
  const browser = () => browserAt(mail.ctx, `100.64.0.${++ip}`);

  before(async () => {
    mail = await signUpContext('off');
  });
  after(() => mail.close());

  async function signedIn(email: string): Promise<{ b: HttpBrowser; form: Page; userId: string }> {
    const user = await createTestUser(mail.ctx, email);
    const b = browser();
    assert.equal((await signInOnAccountPage(b, email)).status, 303);
    const form = await asPage(await b.request(EMAIL_URL), EMAIL_URL);
    assert.equal(form.status, 200);
    assert.match(form.html, /id="email-change-form"/);
    return { b, form, userId: user.id };
  }

  it('by code: the address changes only once verified, the old address is told, and user.email_changed is recorded', async () => {
    const { b, form, userId } = await signedIn('old@example.com');
    const check = await asPage(await post(b, form, '/account/email', { email: 'New@Example.com' }), EMAIL_URL);
    assert.equal(check.status, 200, check.html.slice(0, 400));
    assert.match(check.html, /id="code-form"/);
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'old@example.com', 'not changed before it is verified');
    const sent = await lastMailTo(mail, 'new@example.com');
    assert.match(sent.subject, /Confirm your new email/);
    const done = await asPage(await enterCode(b, check, codeIn(sent)), EMAIL_URL);
    assert.equal(done.status, 200, done.html.slice(0, 400));
    assert.match(done.html, /Your email is now new@example\.com/);
    const user = await mail.ctx.scope.repos.users.findById(userId);
    assert.equal(user?.email, 'new@example.com');
    assert.equal(user?.emailVerified, true);
    const notice = await lastMailTo(mail, 'old@example.com');
    assert.match(notice.subject, /was changed/);
    assert.match(notice.text, /from old@example\.com to new@example\.com/);
    const [changed] = await mail.ctx.scope.repos.events.list({ type: 'user.email_changed', userId });
    assert.ok(changed);
    assert.equal(changed.actor, `user:${userId}`);
  });

  it('by link, in the browser signed in to the account: elsewhere it changes nothing; a second use is refused', async () => {
    const { b, form, userId } = await signedIn('phone-old@example.com');
    await post(b, form, '/account/email', { email: 'phone-new@example.com' });
    const link = verifyLinkIn(await lastMailTo(mail, 'phone-new@example.com'));
    // Another browser (the new address's mailbox opened elsewhere, or someone else's) is told where to open it.
    const elsewhere = await browser().request(link);
    assert.equal(elsewhere.status, 403);
    assert.match(await elsewhere.text(), /browser where you are signed in/);
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'phone-old@example.com');
    const done = await followLink(b, link);
    assert.equal(done.status, 200);
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'phone-new@example.com');
    assert.equal((await b.request(link)).status, 400);
    assert.ok(await lastMailTo(mail, 'phone-old@example.com'));
  });

  it('the code and the link of a change expire after 15 minutes on the test clock', async () => {
    const { b, form, userId } = await signedIn('expiring@example.com');
    const check = await asPage(await post(b, form, '/account/email', { email: 'expired-new@example.com' }), EMAIL_URL);
    const sent = await lastMailTo(mail, 'expired-new@example.com');
    mail.ctx.clock.advance(15 * 60 + 1);
    const byCode = await asPage(await enterCode(b, check, codeIn(sent)), EMAIL_URL);
    assert.equal(byCode.status, 400);
    assert.match(pageError(byCode.html) ?? '', /no longer be used/);
    assert.equal((await b.request(verifyLinkIn(sent))).status, 400);
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'expiring@example.com');
  });

  it('throttles the code of a change: five tries, then the right code is refused too', async () => {
    const { b, form, userId } = await signedIn('guessing@example.com');
    const check = await asPage(await post(b, form, '/account/email', { email: 'guessed@example.com' }), EMAIL_URL);
    const right = codeIn(await lastMailTo(mail, 'guessed@example.com'));
    for (let i = 0; i < 5; i++) assert.equal((await enterCode(b, check, right === '999999' ? '888888' : '999999')).status, 400);
    assert.equal((await enterCode(b, check, right)).status, 429);
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'guessing@example.com');
  });

  it('needs a sign-in within five minutes: later the page asks to sign in again and a post is refused', async () => {
    const { b, form, userId } = await signedIn('stale@example.com');
    mail.ctx.clock.advance(6 * 60);
    const page = await asPage(await b.request(EMAIL_URL), EMAIL_URL);
    assert.doesNotMatch(page.html, /id="email-change-form"/);
    assert.match(page.html, /sign in again to change your email/);
    const refused = await post(b, form, '/account/email', { email: 'stale-new@example.com' });
    assert.equal(refused.status, 403);
    assert.equal((await mailsTo(mail.ctx, mail.sink, 'stale-new@example.com')).length, 0);
    const reauth = await asPage(await b.request(`${EMAIL_URL}?reauth=1`), EMAIL_URL);
    assert.ok(isLoginPage(reauth), 'the sign-in form');
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'stale@example.com');
  });

  it('a taken address gets the same answer; its owner is warned and nothing changes for either', async () => {
    await createTestUser(mail.ctx, 'holder@example.com');
    const { b, form, userId } = await signedIn('wants@example.com');
    const res = await post(b, form, '/account/email', { email: 'holder@example.com' });
    assert.equal(res.status, 200);
    const check = await asPage(res, EMAIL_URL);
    assert.match(check.html, /id="code-form"/);
    const warning = await lastMailTo(mail, 'holder@example.com');
    assert.match(warning.subject, /Someone tried to use your address/);
    assert.doesNotMatch(warning.text, /\b\d{6}\b/);
    assert.equal((await enterCode(b, check, '123456')).status, 400);
    assert.equal((await mail.ctx.scope.repos.users.findById(userId))?.email, 'wants@example.com');
  });

  it('a reset or invitation link mailed to the old address dies with the change', async () => {
    const { b, form, userId } = await signedIn('moving@example.com');
    const user = (await mail.ctx.scope.repos.users.findById(userId)) ?? assert.fail('the user');
    await inviteUser(mail.ctx.scope, user);
    const oldLink = linkIn(await lastMailTo(mail, 'moving@example.com'));
    const check = await asPage(await post(b, form, '/account/email', { email: 'moved@example.com' }), EMAIL_URL);
    assert.equal((await enterCode(b, check, codeIn(await lastMailTo(mail, 'moved@example.com')))).status, 200);
    assert.equal((await browser().request(oldLink)).status, 400);
  });

  it('refuses the same address, a malformed one and a forged post', async () => {
    const { b, form } = await signedIn('same@example.com');
    const same = await asPage(await post(b, form, '/account/email', { email: 'SAME@example.com' }), EMAIL_URL);
    assert.equal(same.status, 400);
    assert.equal(pageError(same.html), 'That is your email already.');
    const bad = await asPage(await post(b, form, '/account/email', { email: 'no at sign' }), EMAIL_URL);
    assert.equal(bad.status, 400);
    assert.equal((await post(b, form, '/account/email', { email: 'x@example.com', csrf: 'forged' })).status, 403);
    assert.equal((await post(browser(), form, '/account/email', { email: 'x@example.com' })).status, 403);
  });
});

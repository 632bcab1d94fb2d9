import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../src/auth/password.js';
import { createIssuer } from '../../src/issuers/service.js';
import { scopeOf } from '../../src/services.js';
import { exchangeCode, isConsentPage, isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, runFlow } from '../helpers/flow.js';
import { TEST_REDIRECT_URI, createTestClient } from '../helpers/harness.js';
import { type MailTestContext, browserAt } from '../helpers/password-pages.js';
import {
  SIGNUP_PASSWORD,
  asPage,
  codeIn,
  enterCode,
  followLink,
  lastMailTo,
  openAppSignIn,
  openSignUpForm,
  pageError,
  post,
  setSignUp,
  signUpContext,
  submitSignUp,
  verifyLinkIn,
} from './signup-pages.js';

describe('sign-up: the address verified by code or by link, then back in the app', () => {
  let mail: MailTestContext;
  let client: { id: string; secret: string | null };
  let ip = 0;
  const browser = () => browserAt(mail.ctx, `198.51.100.${++ip}`);

  before(async () => {
    mail = await signUpContext('open');
    const made = await createTestClient(mail.ctx, { firstParty: true });
    client = { id: made.client.id, secret: made.secret };
  });
  after(() => mail.close());

  it('by code: the user exists only once verified, then the app gets its code and the ID token names them', async () => {
    const b = browser();
    const { page: login, verifier } = await openAppSignIn(b, client.id);
    const form = await openSignUpForm(b, login);
    const check = await submitSignUp(b, form, { email: 'Grace@Example.com', name: 'Grace Hopper' });
    assert.equal(check.status, 200, check.html.slice(0, 400));
    assert.match(check.html, /id="code-form"/);
    // Nothing exists yet: an unverified sign-up cannot sign in.
    assert.equal(await mail.ctx.scope.repos.users.findByEmail('grace@example.com'), undefined);
    const denied = await runFlow(browser(), authorizeUrl(client.id).url, { email: 'grace@example.com', password: SIGNUP_PASSWORD });
    assert.equal(denied.callback, undefined);

    const sent = await lastMailTo(mail, 'grace@example.com');
    assert.match(sent.subject, /Confirm your email/);
    assert.match(sent.text, /15 minutes/);
    const done = await enterCode(b, check, codeIn(sent));
    assert.equal(done.status, 303, await done.clone().text());
    const location = done.headers.get('location') ?? '';
    assert.ok(location.startsWith(TEST_REDIRECT_URI), location);
    const code = new URL(location).searchParams.get('code') ?? assert.fail('a code');
    const tokens = await exchangeCode(mail.ctx, client, code, verifier);
    assert.equal(tokens.status, 200);

    const user = await mail.ctx.scope.repos.users.findByEmail('grace@example.com');
    assert.ok(user);
    assert.equal(user.emailVerified, true);
    assert.equal(user.name, 'Grace Hopper');
    assert.ok(await verifyPassword(user.passwordHash, SIGNUP_PASSWORD));
    const [signedUp] = await mail.ctx.scope.repos.events.list({ type: 'user.signed_up', userId: user.id });
    assert.deepEqual(signedUp?.payload, { method: 'code' });
    assert.equal(signedUp?.clientId, client.id);
    const [verified] = await mail.ctx.scope.repos.events.list({ type: 'user.email_verified', userId: user.id });
    assert.deepEqual(verified?.payload, { purpose: 'sign_up', method: 'code' });
    // And they sign in with the password from now on.
    const again = await runFlow(browser(), authorizeUrl(client.id).url, { email: 'grace@example.com', password: SIGNUP_PASSWORD });
    assert.ok(again.callback?.searchParams.get('code'));
  });

  it('by link in the same browser: the sign-in goes on to consent for a third-party app', async () => {
    const thirdParty = (await createTestClient(mail.ctx, { firstParty: false })).client;
    const b = browser();
    const { page: login } = await openAppSignIn(b, thirdParty.id);
    const check = await submitSignUp(b, await openSignUpForm(b, login), { email: 'linked@example.com' });
    const link = verifyLinkIn(await lastMailTo(mail, 'linked@example.com'));
    // Opening the link (a mail scanner's GET) spends nothing: the confirm page is a button.
    assert.equal((await b.request(link)).status, 200);
    assert.equal((await b.request(link)).status, 200);
    const done = await followLink(b, link);
    assert.equal(done.status, 303);
    const step = await b.navigate(new URL(done.headers.get('location') ?? '', ISSUER).href, ISSUER);
    assert.ok(isConsentPage(step.page), step.page?.html.slice(0, 300));
    assert.ok(await mail.ctx.scope.repos.users.findByEmail('linked@example.com'));
    assert.match(check.html, /linked@example\.com/);
  });

  it('a link opened in another browser asks for the sign-up’s password, then makes the account but signs no one in there', async () => {
    const b = browser();
    const { page: login } = await openAppSignIn(b, client.id);
    await submitSignUp(b, await openSignUpForm(b, login), { email: 'phone@example.com' });
    const link = verifyLinkIn(await lastMailTo(mail, 'phone@example.com'));
    const elsewhere = browser();
    const confirm = await asPage(await elsewhere.request(link), link);
    assert.match(confirm.html, /id="password"/, 'the password is asked for');
    const wrong = await asPage(await post(elsewhere, confirm, '/verify', { password: 'not the password' }), link);
    assert.equal(wrong.status, 400);
    assert.equal(pageError(wrong.html), 'That is not the password chosen for this sign-up.');
    assert.equal(await mail.ctx.scope.repos.users.findByEmail('phone@example.com'), undefined);
    const done = await post(elsewhere, confirm, '/verify', { password: SIGNUP_PASSWORD });
    const page = await asPage(done, link);
    assert.equal(page.status, 200, page.html.slice(0, 400));
    assert.match(page.html, /Go back to the app you were using and sign in/);
    assert.equal(done.headers.getSetCookie().filter((c) => c.includes('gh_session')).length, 0, 'no session in the other browser');
    assert.ok(await mail.ctx.scope.repos.users.findByEmail('phone@example.com'));
  });

  it('a sign-up made with someone else’s address cannot be finished by that someone clicking the link: five wrong passwords end it', async () => {
    const squatter = browser();
    await submitSignUp(squatter, await openSignUpForm(squatter, (await openAppSignIn(squatter, client.id)).page), {
      email: 'victim@example.com',
      password: 'the squatter password',
    });
    const link = verifyLinkIn(await lastMailTo(mail, 'victim@example.com'));
    const victim = browser();
    const confirm = await asPage(await victim.request(link), link);
    for (let i = 0; i < 5; i++) assert.equal((await post(victim, confirm, '/verify', { password: `guess ${i} of it` })).status, 400);
    assert.equal((await post(victim, confirm, '/verify', { password: 'the squatter password' })).status, 400);
    assert.equal(await mail.ctx.scope.repos.users.findByEmail('victim@example.com'), undefined);
  });

  it('single use: a used link and a used code are refused, and the code of a spent sign-up too', async () => {
    const b = browser();
    const { page: login } = await openAppSignIn(b, client.id);
    const check = await submitSignUp(b, await openSignUpForm(b, login), { email: 'once@example.com' });
    const sent = await lastMailTo(mail, 'once@example.com');
    const link = verifyLinkIn(sent);
    assert.equal((await followLink(b, link)).status, 303);
    const second = await b.request(link);
    assert.equal(second.status, 400);
    assert.match(await second.text(), /This one has expired or was already used/);
    // The code of the same mail is the same verification: spent with the link.
    // The sign-in it belonged to is finished: the page says so.
    const code = await enterCode(b, check, codeIn(sent));
    assert.equal(code.status, 404);
    assert.match(await code.text(), /This sign-in page has expired or was already used/);
    const users = (await mail.ctx.scope.repos.users.list()).filter((u) => u.email === 'once@example.com');
    assert.equal(users.length, 1);
  });

  it('expires after 15 minutes on the test clock: neither the code nor the link works then', async () => {
    const b = browser();
    const { page: login } = await openAppSignIn(b, client.id);
    const check = await submitSignUp(b, await openSignUpForm(b, login), { email: 'late@example.com' });
    const sent = await lastMailTo(mail, 'late@example.com');
    mail.ctx.clock.advance(15 * 60 + 1);
    const byLink = await b.request(verifyLinkIn(sent));
    assert.equal(byLink.status, 400);
    // The sign-in waited as long as the code, and no longer: the page says it expired.
    const byCode = await enterCode(b, check, codeIn(sent));
    assert.equal(byCode.status, 404);
    assert.match(await byCode.text(), /has expired or was already used/);
    assert.equal(await mail.ctx.scope.repos.users.findByEmail('late@example.com'), undefined);
  });

  it('the sign-in waits for the code as long as the code works: 14 minutes later it still signs in', async () => {
    const b = browser();
    const { page: login } = await openAppSignIn(b, client.id);
    const check = await submitSignUp(b, await openSignUpForm(b, login), { email: 'slow-reader@example.com' });
    mail.ctx.clock.advance(14 * 60);
    const done = await enterCode(b, check, codeIn(await lastMailTo(mail, 'slow-reader@example.com')));
    assert.equal(done.status, 303, await done.clone().text());
    assert.ok(done.headers.get('location')?.startsWith(TEST_REDIRECT_URI));
  });

  it('throttles the code: after five tries the right code is refused too, and nothing is created', async () => {
    const b = browser();
    const { page: login } = await openAppSignIn(b, client.id);
    const check = await submitSignUp(b, await openSignUpForm(b, login), { email: 'guess@example.com' });
    const right = codeIn(await lastMailTo(mail, 'guess@example.com'));
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await enterCode(b, check, wrong);
      assert.equal(res.status, 400);
      assert.equal(pageError(await res.text()), 'That code is not right. Check the newest message and try again.');
    }
    const locked = await enterCode(b, check, right);
    assert.equal(locked.status, 429);
    assert.match(pageError(await locked.text()) ?? '', /no longer be used/);
    assert.equal(await mail.ctx.scope.repos.users.findByEmail('guess@example.com'), undefined);
  });

  it('an unverified sign-up does not stand in the way of the address’s owner, whose verification ends it', async () => {
    const squatter = browser();
    const squatted = await submitSignUp(squatter, await openSignUpForm(squatter, (await openAppSignIn(squatter, client.id)).page), {
      email: 'owner@example.com',
      password: 'the squatter password',
    });
    assert.equal(squatted.status, 200);
    const owner = browser();
    const { page: login } = await openAppSignIn(owner, client.id);
    const check = await submitSignUp(owner, await openSignUpForm(owner, login), { email: 'owner@example.com', name: 'Real Owner' });
    // The squatter cannot read the owner's mailbox; the owner verifies with the newest mail.
    const done = await enterCode(owner, check, codeIn(await lastMailTo(mail, 'owner@example.com')));
    assert.equal(done.status, 303);
    const user = await mail.ctx.scope.repos.users.findByEmail('owner@example.com');
    assert.equal(user?.name, 'Real Owner');
    assert.equal(await verifyPassword(user?.passwordHash ?? null, 'the squatter password'), false);
    // The squatter's pending sign-up died with the owner's verification.
    const mails = (await mail.sink.received).filter((m) => m.to.includes('owner@example.com'));
    const squatterLink = verifyLinkIn(mails[0] ?? assert.fail('the first mail'));
    assert.equal((await squatter.request(squatterLink)).status, 400);
  });

  it('a standalone sign-up at <issuer>/signup ends on the account page, signed in', async () => {
    const b = browser();
    const res = await b.request(`${ISSUER}/signup`);
    const form = await asPage(res, `${ISSUER}/signup`);
    assert.equal(form.status, 200);
    assert.match(form.html, /id="signup-form"/);
    const check = await submitSignUp(b, form, { email: 'solo@example.com' });
    const done = await enterCode(b, check, codeIn(await lastMailTo(mail, 'solo@example.com')));
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${ISSUER}/account`);
    const account = await b.navigate(`${ISSUER}/account/apps`, ISSUER);
    assert.equal(isLoginPage(account.page), false);
    assert.match(account.page?.html ?? '', /solo@example\.com/);
  });

  it('refuses bad input with the form again (400), never a 500, and a missing CSRF token (403)', async () => {
    const b = browser();
    const form = await openSignUpForm(b, (await openAppSignIn(b, client.id)).page);
    for (const [fields, message] of [
      [{ email: '' }, 'Enter your email address, your name and a password.'],
      [{ email: 'not an email' }, 'Enter an email address like name@example.com.'],
      [{ email: 'short@example.com', password: 'short' }, 'The password must be at least 8 characters.'],
      [{ email: 'ctl@example.com', name: 'a\u0007b' }, 'Enter your name, at most 200 characters.'],
    ] as const) {
      const page = await submitSignUp(b, form, fields);
      assert.equal(page.status, 400, JSON.stringify(fields));
      assert.equal(pageError(page.html), message);
    }
    const forged = await b.request(form.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=x%40example.com&name=X&password=long+enough+password',
    });
    assert.equal(forged.status, 403);
  });
});

describe('sign-up: language and issuers', () => {
  let mail: MailTestContext;
  let ip = 0;
  const browser = () => browserAt(mail.ctx, `198.51.101.${++ip}`);

  before(async () => {
    mail = await signUpContext('off');
  });
  after(() => mail.close());

  it('writes the mail in the language of the sign-in, and its link opens the page in it', async () => {
    await setSignUp(mail.ctx, 'open');
    const clientId = (await createTestClient(mail.ctx)).client.id;
    const b = browser();
    const { page: login } = await openAppSignIn(b, clientId, { ui_locales: 'de' });
    const check = await submitSignUp(b, await openSignUpForm(b, login), { email: 'deutsch@example.com' });
    assert.match(check.html, /Prüfen Sie Ihre E-Mails/);
    const sent = await lastMailTo(mail, 'deutsch@example.com');
    assert.match(sent.subject, /Bestätigen Sie Ihre E-Mail-Adresse/);
    const link = verifyLinkIn(sent);
    assert.match(link, /ui_locales=de$/);
    assert.match(await (await b.request(link)).text(), /E-Mail-Adresse bestätigen/);
    await setSignUp(mail.ctx, 'off');
  });

  it('a sign-up at a second issuer makes its user there only, and the default issuer’s setting does not open it', async () => {
    await createIssuer(mail.ctx.services, { id: 'beta', name: 'Beta', settings: { signUp: 'open' } });
    const beta = await scopeOf(mail.ctx.services, 'beta');
    const b = browser();
    assert.equal((await b.request(`${ISSUER}/signup`)).status, 404, 'the default issuer stays off');
    const form = await asPage(await b.request(`${ISSUER}/beta/signup`), `${ISSUER}/beta/signup`);
    assert.equal(form.status, 200);
    const check = await submitSignUp(b, form, { email: 'beta-user@example.com' });
    const sent = await lastMailTo(mail, 'beta-user@example.com');
    assert.ok(verifyLinkIn(sent).startsWith(`${ISSUER}/beta/interaction/`));
    assert.equal((await enterCode(b, check, codeIn(sent))).status, 303);
    assert.ok(await beta.repos.users.findByEmail('beta-user@example.com'));
    assert.equal(await mail.ctx.scope.repos.users.findByEmail('beta-user@example.com'), undefined);
  });
});

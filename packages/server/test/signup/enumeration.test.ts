import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SIGN_UP_THRESHOLD } from '../../src/abuse/proof-of-work.js';
import { passwordHashesStarted } from '../../src/auth/password.js';
import { createTestClient, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type MailTestContext, browserAt, mailsTo } from '../helpers/password-pages.js';
import { codeIn, enterCode, lastMailTo, openAppSignIn, openSignUpForm, post, signUpContext, signUpUid } from './signup-pages.js';

/** One sign-up post as an observer sees it: status, headers that matter, body; and the work it caused. */
interface Observed {
  status: number;
  body: string;
  contentType: string | null;
  cookies: string[];
  hashes: number;
  mailsQueued: number;
}

describe('sign-up: the answer does not tell whether an address has an account', () => {
  let mail: MailTestContext;
  let clientId: string;
  let ip = 0;
  const browser = (): HttpBrowser => browserAt(mail.ctx, `192.0.2.${++ip}`);

  before(async () => {
    mail = await signUpContext('open');
    clientId = (await createTestClient(mail.ctx)).client.id;
    await createTestUser(mail.ctx, 'taken@example.com');
  });
  after(() => mail.close());

  const queued = async (): Promise<number> => (await mail.ctx.scope.repos.events.list({ type: 'mail.requested', limit: 1000 })).length;

  /** Opens a fresh sign-in, posts the sign-up for `email`, and records what came back and what was done. */
  async function signUp(email: string, from: HttpBrowser = browser()): Promise<Observed & { form: Page; browser: HttpBrowser }> {
    const b = from;
    const form = await openSignUpForm(b, (await openAppSignIn(b, clientId)).page);
    const uid = signUpUid(form.html);
    const csrf = /name="csrf" value="([^"]*)"/.exec(form.html)?.[1] ?? assert.fail('a csrf field');
    const hashesBefore = passwordHashesStarted();
    const mailsBefore = await queued();
    const res = await post(b, form, '/signup', { email, name: 'Someone', password: 'a password of some length' });
    const body = (await res.text()).split(uid).join('UID').split(csrf).join('CSRF').split(email).join('EMAIL');
    return {
      status: res.status,
      body,
      contentType: res.headers.get('content-type'),
      // The sign-in's cookie is renewed for the code's lifetime in both cases: its secret and path are tokens too.
      cookies: res.headers.getSetCookie().map((c) =>
        c
          .split(uid)
          .join('UID')
          .replace(/^([^=]+)=[^;]*/, '$1=SECRET'),
      ),
      hashes: passwordHashesStarted() - hashesBefore,
      mailsQueued: (await queued()) - mailsBefore,
      form,
      browser: b,
    };
  }

  it('answers a taken and a free address with the same page, byte for byte but the sign-in’s tokens and the address', async () => {
    const taken = await signUp('taken@example.com');
    const free = await signUp('free@example.com');
    assert.equal(taken.status, 200);
    assert.equal(free.status, taken.status);
    assert.equal(free.contentType, taken.contentType);
    assert.deepEqual(free.cookies, taken.cookies);
    assert.equal(taken.cookies.length, 1);
    assert.equal(free.body, taken.body);
    assert.match(taken.body, /id="code-form"/);
  });

  it('does the same work for both: one argon2 hash and one queued mail each', async () => {
    const taken = await signUp('taken@example.com');
    const free = await signUp('free-two@example.com');
    assert.equal(taken.hashes, 1);
    assert.equal(free.hashes, taken.hashes);
    assert.equal(taken.mailsQueued, 1);
    assert.equal(free.mailsQueued, taken.mailsQueued);
  });

  it('mails the owner of a taken address a warning and no code; codes typed for it are wrong, and their account is untouched', async () => {
    const before = (await mail.ctx.scope.repos.users.findByEmail('taken@example.com')) ?? assert.fail('the owner');
    const attempt = await signUp('taken@example.com');
    const warning = await lastMailTo(mail, 'taken@example.com');
    assert.match(warning.subject, /Someone tried to sign up/);
    assert.match(warning.text, /already has an account: yours/);
    assert.doesNotMatch(warning.text, /\b\d{6}\b/);
    assert.doesNotMatch(warning.text, /token=/);
    const events = await mail.ctx.scope.repos.events.list({ type: 'user.sign_up_attempted', userId: before.id });
    assert.ok(events.length >= 1);
    assert.deepEqual(events[0]?.payload, { purpose: 'sign_up' });

    // The page the attempt got has a code form as any other: every code is wrong there.
    const check = { url: attempt.form.url, status: 200, html: attempt.body.split('UID').join(signUpUid(attempt.form.html)) };
    const csrf = /name="csrf" value="([^"]*)"/.exec(attempt.form.html)?.[1] ?? '';
    check.html = check.html.split('CSRF').join(csrf);
    const res = await enterCode(attempt.browser, check, '123456');
    assert.equal(res.status, 400);
    const after = await mail.ctx.scope.repos.users.findByEmail('taken@example.com');
    assert.equal(after?.revision, before.revision);
    assert.equal(after?.passwordHash, before.passwordHash);
  });

  it('limits sign-ups per address alike, whether or not it has an account: the fourth in an hour is refused (429)', async () => {
    await createTestUser(mail.ctx, 'limited-taken@example.com');
    for (const email of ['limited-taken@example.com', 'limited-free@example.com']) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await signUp(email)).status);
      assert.deepEqual(answers, [200, 200, 200, 429], email);
    }
    const refused = await signUp('limited-free@example.com');
    assert.equal(refused.hashes, 0, 'a refused sign-up hashes nothing');
    assert.equal(refused.mailsQueued, 0);
    mail.ctx.clock.advance(3601);
    assert.equal((await signUp('limited-free@example.com')).status, 200);
  });

  it('past the proof-of-work threshold of a client address, a taken and a free address still get the same answer', async () => {
    const b = browser();
    for (let i = 0; i < SIGN_UP_THRESHOLD; i++) await signUp(`free-pow-${i}@example.com`, b);
    const form = await openSignUpForm(b, (await openAppSignIn(b, clientId)).page);
    assert.match(form.html, /data-pow=/, 'the form now carries a challenge');
    const taken = await signUp('taken@example.com', b);
    const free = await signUp('free-pow@example.com', b);
    assert.equal(taken.status, 200);
    assert.equal(free.status, taken.status);
    assert.deepEqual(free.cookies, taken.cookies);
    assert.equal(free.body, taken.body);
    assert.equal(free.hashes, taken.hashes);
    assert.equal(free.mailsQueued, taken.mailsQueued);
  });

  it('the free address gets a code that works (the two cases differ only in the mail)', async () => {
    const free = await signUp('free-three@example.com');
    const sent = (await mailsTo(mail.ctx, mail.sink, 'free-three@example.com')).at(-1) ?? assert.fail('a mail');
    const check = { url: free.form.url, status: 200, html: free.body.split('UID').join(signUpUid(free.form.html)) };
    check.html = check.html.split('CSRF').join(/name="csrf" value="([^"]*)"/.exec(free.form.html)?.[1] ?? '');
    const res = await enterCode(free.browser, check, codeIn(sent));
    assert.equal(res.status, 303);
  });
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ACCOUNT_URL, signInOnAccountPage } from '../helpers/account-pages.js';
import { FORM_HEADERS, isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import {
  type MailTestContext,
  CHANGED_TEXT,
  SENT_TEXT,
  askForLink,
  browserAt,
  mailTestContext,
  mailsTo,
  onlyLinkTo,
  setNewPassword,
} from '../helpers/password-pages.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';
import { createLogger } from '../../src/log.js';
import { sha256 } from '../../src/tokens/random.js';
import { at, atRe } from '../helpers/prefix.js';

const NEW_PASSWORD = 'a brand new passphrase';

/** Posts the reset form for `token` with the browser's own CSRF token (the forgot form's, the same). */
async function postReset(browser: HttpBrowser, token: string, password: string): Promise<Response> {
  const html = await (await browser.request(`${ISSUER}/password/forgot`)).text();
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
  return browser.request(`${ISSUER}/password/reset`, {
    method: 'POST',
    headers: FORM_HEADERS,
    body: new URLSearchParams({ csrf, token, password, confirm: password }).toString(),
  });
}

// The whole self-service reset, against a real SMTP server: ask, receive the link, set a new
// password, and what that does to the old password and to every session.
describe('password reset: the flow by email', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  const logLines: string[] = [];
  let ip = 0;
  const nextBrowser = () => browserAt(ctx, `198.51.100.${++ip}`);

  let mail: MailTestContext;
  before(async () => {
    mail = await mailTestContext({ from: 'Gatehouse <no-reply@example.com>', logger: createLogger('debug', (line) => logLines.push(line)) });
    ({ ctx, sink } = mail);
  });
  after(() => mail.close());
  beforeEach(() => {
    sink.refuse = false;
  });

  it('sign-in page → link by mail → new password: the old one fails, the new one signs in, old sessions end', async () => {
    const user = await createTestUser(ctx);
    // A browser signed in with the old password, as someone who had stolen it might be.
    const before = nextBrowser();
    assert.equal((await signInOnAccountPage(before, user.email)).status, 303);

    const browser = nextBrowser();
    const signIn = await (await browser.request(ACCOUNT_URL)).text();
    assert.match(signIn, new RegExp(`<a href="${atRe('/password/forgot?return=')}[A-Za-z0-9_-]+" id="forgot-password">Forgot your password\\?</a>`));

    const asked = await askForLink(browser, user.email);
    assert.equal(asked.status, 200);
    assert.ok((await asked.text()).includes(SENT_TEXT));

    const mails = await mailsTo(ctx, sink, user.email);
    assert.equal(mails.length, 1);
    const mail = mails[0];
    assert.ok(mail);
    assert.equal(mail.from, 'no-reply@example.com');
    assert.match(mail.raw, /^From: Gatehouse <no-reply@example\.com>/m);
    assert.equal(mail.subject, 'Reset your Gatehouse password');
    assert.match(mail.text, /within 30 minutes/);
    const link = await onlyLinkTo(ctx, sink, user.email);
    assert.ok(link.startsWith(`${ISSUER}/password/reset?token=`));
    const token = new URL(link).searchParams.get('token') ?? '';
    const stored = await ctx.services.store.db.selectFrom('password_resets').selectAll().where('user_id', '=', user.id).execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.id, sha256(token), 'only the hash of the token is stored');

    const form = await browser.request(link);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /Choose a new password/);
    const changed = await setNewPassword(browser, link, NEW_PASSWORD);
    assert.equal(changed.status, 200);
    assert.ok((await changed.text()).includes(CHANGED_TEXT));

    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, TEST_PASSWORD)).status, 401, 'the old password fails');
    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, NEW_PASSWORD)).status, 303, 'the new one signs in');
    const stale = await before.request(ACCOUNT_URL);
    assert.ok(isLoginPage({ url: ACCOUNT_URL, status: stale.status, html: await stale.text() }), 'the earlier session is over');
    assert.ok(!logLines.some((l) => l.includes(token)), 'the token is never logged');
  });

  it('a link works once; using one spends every other link of the user', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    await askForLink(browser, user.email);
    await askForLink(browser, user.email);
    const links = (await mailsTo(ctx, sink, user.email)).map((m) => /http:\S+token=\S+/.exec(m.text)?.[0] ?? '');
    assert.equal(links.length, 2);
    const [first = '', second = ''] = links;
    assert.equal((await setNewPassword(browser, first, NEW_PASSWORD)).status, 200);

    for (const link of [first, second]) {
      const again = await browser.request(link);
      const html = await again.text();
      assert.equal(again.status, 400);
      assert.match(html, /This link is no longer valid/);
      // The mailed link names the mail's language, and the page's links keep it.
      assert.ok(html.includes(`<a href="${at('/password/forgot?ui_locales=en')}" id="ask-again">Ask for a new link</a>`), html.slice(0, 300));
      assert.doesNotMatch(html, /name="password"/, 'no form for a spent link');
    }
    // Posting a spent link's token, with this browser's valid CSRF token, does nothing either.
    const replay = await postReset(browser, new URL(first).searchParams.get('token') ?? '', 'yet another password');
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /This link is no longer valid/);
    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, NEW_PASSWORD)).status, 303, 'the password set through the link stands');
  });

  it('of two concurrent uses of one link, exactly one changes the password', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    await askForLink(browser, user.email);
    const link = await onlyLinkTo(ctx, sink, user.email);
    const answers = await Promise.all(['first concurrent password', 'second concurrent password'].map((p) => setNewPassword(browser, link, p)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400]);
    const winner = answers[0]?.status === 200 ? 'first concurrent password' : 'second concurrent password';
    const loser = winner.startsWith('first') ? 'second concurrent password' : 'first concurrent password';
    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, winner)).status, 303);
    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, loser)).status, 401);
  });

  it('a link works for 30 minutes and not after', async () => {
    const user = await createTestUser(ctx);
    const browser = nextBrowser();
    await askForLink(browser, user.email);
    await askForLink(browser, user.email);
    const [early, late] = (await mailsTo(ctx, sink, user.email)).map((m) => /http:\S+token=\S+/.exec(m.text)?.[0] ?? '');
    assert.ok(early && late);
    ctx.clock.advance(30 * 60 - 1);
    const open = await browser.request(early);
    assert.equal(open.status, 200, 'still good a second before the end');
    assert.match(await open.text(), /Choose a new password/);
    ctx.clock.advance(1);
    const expired = await browser.request(late);
    assert.equal(expired.status, 400);
    assert.match(await expired.text(), /This link is no longer valid/);
    // The form opened in time and posted too late is refused as well.
    const tooLate = await postReset(browser, new URL(early).searchParams.get('token') ?? '', NEW_PASSWORD);
    assert.equal(tooLate.status, 400);
    assert.match(await tooLate.text(), /This link is no longer valid/);
    assert.equal((await signInOnAccountPage(nextBrowser(), user.email, TEST_PASSWORD)).status, 303, 'the password is unchanged');
  });

  it('unknown and disabled emails get the same page and no mail; a disabled user cannot use an earlier link', async () => {
    const known = await createTestUser(ctx);
    const disabled = await createTestUser(ctx);
    await askForLink(nextBrowser(), disabled.email);
    const earlier = await onlyLinkTo(ctx, sink, disabled.email);
    await ctx.scope.repos.users.setDisabled(disabled.id, true);
    const before = sink.received.length;

    const answers: { status: number; body: string }[] = [];
    for (const email of [known.email, 'nobody-here@example.com', disabled.email]) {
      const res = await askForLink(nextBrowser(), email);
      answers.push({ status: res.status, body: await res.text() });
    }
    assert.ok(answers[0]?.body.includes(SENT_TEXT));
    assert.deepEqual(answers[1], answers[0], 'an unknown email gets the very same answer');
    assert.deepEqual(answers[2], answers[0], 'a disabled account gets the very same answer');
    await ctx.services.background.settled();
    assert.deepEqual(
      sink.received.slice(before).map((m) => m.to),
      [[known.email]],
      'only the account that may sign in gets mail',
    );

    const refused = await nextBrowser().request(earlier);
    assert.equal(refused.status, 400, 'a disabled account cannot open a link it was sent before');
    assert.match(await refused.text(), /This link is no longer valid/);
  });

  it('a failed send answers the same page and logs a warning without the link', async () => {
    const user = await createTestUser(ctx);
    sink.refuse = true;
    const res = await askForLink(nextBrowser(), user.email);
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(SENT_TEXT));
    assert.deepEqual(await mailsTo(ctx, sink, user.email), []);
    const warning = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'password_reset_mail_failed');
    assert.ok(warning, 'the failure is logged');
    assert.equal(warning.level, 'warn');
    const rows = await ctx.services.store.db.selectFrom('password_resets').select('id').where('user_id', '=', user.id).execute();
    assert.equal(rows.length, 1);
    assert.ok(!logLines.some((l) => l.includes('token=') || l.includes('/password/reset?')), 'no link in the log');
    assert.match(String(warning.error), new RegExp(`user ${user.id} not sent: .*<recipient>`), 'the user by id');
    assert.ok(!logLines.some((l) => l.toLowerCase().includes(user.email.toLowerCase())), 'and not by address, even where the SMTP reply quotes it');
  });
});

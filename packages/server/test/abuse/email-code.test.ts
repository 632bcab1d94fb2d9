import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { PostgresAdapter, sql } from 'kysely';
import { EMAIL_CODE_TTL } from '../../src/abuse/email-code-mail.js';
import { TRIES_PER_INTERACTION } from '../../src/abuse/email-code.js';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { updateIssuer } from '../../src/issuers/service.js';
import { ACCOUNT_URL } from '../helpers/account-pages.js';
import { FORM_HEADERS, codeFrom, exchangeCode, formPost, openLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { TEST_REDIRECT_URI, createTestUser } from '../helpers/harness.js';
import { confidentialClient } from '../helpers/oauth-requests.js';
import { type MailTestContext, browserAt, mailTestContext, mailsTo } from '../helpers/password-pages.js';
import { atRe } from '../helpers/prefix.js';

const SENT = (email: string): string => `If ${email} has an account, we sent it a 6-digit code. It works once, for ${EMAIL_CODE_TTL / 60} minutes.`;

/** The account page's sign-in form, then "Email me a code" for `email`: the answer. */
async function askForCode(browser: HttpBrowser, email: string): Promise<{ res: Response; html: string }> {
  const page = await (await browser.request(ACCOUNT_URL)).text();
  assert.match(page, /id="email-code"/, 'the sign-in form offers "Email me a code"');
  const action = new RegExp(`formaction="(${atRe('/interaction/')}[^"]+/email-code/send)"`).exec(page)?.[1] ?? '';
  const csrf = /name="csrf" value="([^"]*)"/.exec(page)?.[1] ?? '';
  const res = await browser.request(new URL(action, ISSUER).href, {
    method: 'POST',
    headers: FORM_HEADERS,
    body: new URLSearchParams({ csrf, email }).toString(),
  });
  return { res, html: await res.text() };
}

/** Posts `code` on the code page `html`. */
async function enterCode(browser: HttpBrowser, html: string, code: string, email?: string): Promise<Response> {
  const action = new RegExp(`action="(${atRe('/interaction/')}[^"]+/email-code/verify)"`).exec(html)?.[1] ?? '';
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
  const typed = email ?? /name="email" value="([^"]*)"/.exec(html)?.[1] ?? '';
  return browser.request(new URL(action, ISSUER).href, {
    method: 'POST',
    headers: FORM_HEADERS,
    body: new URLSearchParams({ csrf, email: typed, code }).toString(),
  });
}

async function codeMailedTo(m: MailTestContext, email: string, index = -1): Promise<string> {
  const mails = await mailsTo(m.ctx, m.sink, email);
  const mail = mails.at(index);
  assert.ok(mail, `a mail to ${email}`);
  assert.equal(mail.subject, 'Your Gatehouse sign-in code');
  const code = /^(\d{6})$/m.exec(mail.text)?.[1];
  assert.ok(code, mail.text);
  return code;
}

describe('"Email me a code" sign-in', () => {
  let m: MailTestContext;
  let ip = 0;
  const nextBrowser = (): HttpBrowser => browserAt(m.ctx, `192.0.2.${++ip}`);
  before(async () => {
    m = await mailTestContext();
    await updateIssuer(m.ctx.services, DEFAULT_ISSUER_ID, { settings: { emailCode: true } });
  });
  after(() => m.close());

  it('is off unless the issuer enables it', async () => {
    await updateIssuer(m.ctx.services, DEFAULT_ISSUER_ID, { settings: { emailCode: false } });
    const page = await (await nextBrowser().request(ACCOUNT_URL)).text();
    assert.doesNotMatch(page, /Email me a code/);
    await updateIssuer(m.ctx.services, DEFAULT_ISSUER_ID, { settings: { emailCode: true } });
  });

  it('mails a 6-digit code (only its hash stored) that signs in once, with amr otp, and proves the address', async () => {
    const user = await createTestUser(m.ctx);
    const browser = nextBrowser();
    const { res, html } = await askForCode(browser, user.email);
    assert.equal(res.status, 200);
    assert.match(html, new RegExp(SENT(user.email).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const code = await codeMailedTo(m, user.email);
    const rows = await m.ctx.services.store.db.selectFrom('email_codes').selectAll().execute();
    assert.ok(rows.length >= 1 && rows.every((r) => !r.code_hash.includes(code)), 'the code is stored only as a keyed hash');

    const signedIn = await enterCode(browser, html, code);
    assert.equal(signedIn.status, 303);
    const [session] = await m.ctx.scope.repos.sessions.listForUser(user.id);
    assert.deepEqual(session?.amr, ['otp']);
    assert.equal((await m.ctx.scope.repos.users.findById(user.id))?.emailVerified, true);
    const [event] = await m.ctx.scope.repos.events.list({ type: 'sign_in.email_code', userId: user.id });
    assert.ok(event, 'the sign-in is recorded');

    // Spent: the same code again (a replay of the form) signs no one in.
    const again = await enterCode(nextBrowser(), html, code);
    assert.notEqual(again.status, 303);
  });

  it('the same answer whether or not the address has an account; no mail for none', async () => {
    const user = await createTestUser(m.ctx);
    const known = await askForCode(nextBrowser(), user.email);
    const unknown = await askForCode(nextBrowser(), 'nobody-here@example.com');
    assert.equal(known.res.status, unknown.res.status);
    const strip = (html: string, email: string): string =>
      html
        .replaceAll(email, '<email>')
        .replace(/\/interaction\/[A-Za-z0-9_-]+/g, '/interaction/<uid>')
        .replace(/value="[^"]*"/g, 'value=""');
    assert.equal(strip(known.html, user.email), strip(unknown.html, 'nobody-here@example.com'));
    assert.equal((await mailsTo(m.ctx, m.sink, 'nobody-here@example.com')).length, 0);
    const wrong = await enterCode(nextBrowser(), unknown.html, '123456');
    // The code page belongs to its own browser: another one is refused before any code is looked at.
    assert.equal(wrong.status, 403);
  });

  it('a code is bound to its interaction and its address', async () => {
    const user = await createTestUser(m.ctx);
    const other = await createTestUser(m.ctx);
    const browser = nextBrowser();
    const first = await askForCode(browser, user.email);
    const code = await codeMailedTo(m, user.email);
    // A second sign-in in the same browser: the first interaction's code is nothing here.
    const second = await askForCode(browser, user.email);
    assert.equal((await enterCode(browser, second.html, code)).status, 401, "another interaction's code");
    assert.equal((await enterCode(browser, first.html, code, other.email)).status, 401, 'another address');
    assert.equal((await enterCode(browser, first.html, code)).status, 303, 'its own interaction and address');
  });

  it('wrong codes are throttled per interaction: then the code is dropped, even the right one fails', async () => {
    const user = await createTestUser(m.ctx);
    const browser = nextBrowser();
    const { html } = await askForCode(browser, user.email);
    const code = await codeMailedTo(m, user.email);
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < TRIES_PER_INTERACTION; i++) {
      const res = await enterCode(browser, html, wrongCode);
      assert.equal(res.status, 401);
      assert.match(await res.text(), /The code is wrong, has expired or was already used\./);
    }
    const uid = new RegExp(`${atRe('/interaction/')}([A-Za-z0-9_-]+)/email-code/verify`).exec(html)?.[1] ?? '';
    assert.equal(await m.ctx.scope.repos.emailCodes.has(uid), true);
    const held = await enterCode(browser, html, code);
    assert.equal(held.status, 429, 'even the right code waits now');
    assert.equal(await m.ctx.scope.repos.emailCodes.has(uid), false, 'and the code was dropped: a new one must be asked for');
    assert.equal((await enterCode(browser, html, 'abc')).status, 400, 'not six digits: malformed');
  });

  it("an app's sign-in: the code leads on to consent and the ID token states amr otp", async () => {
    const client = await confidentialClient(m.ctx, { firstParty: true });
    const user = await createTestUser(m.ctx);
    const browser = nextBrowser();
    const request = authorizeUrl(client.id);
    const login = await openLoginPage(browser, request.url);
    // The "Email me a code" button posts the sign-in form to its own action (formaction).
    const { url, body } = formPost(login, '/login', { email: user.email });
    const sent = await browser.request(url.replace(/\/login$/, '/email-code/send'), { method: 'POST', headers: FORM_HEADERS, body });
    assert.equal(sent.status, 200);
    const html = await sent.text();
    const code = await codeMailedTo(m, user.email);
    const res = await enterCode(browser, html, code);
    assert.equal(res.status, 303);
    const got = codeFrom(res.headers.get('location'), { state: request.state, redirectUri: TEST_REDIRECT_URI });
    const tokens = (await (await exchangeCode(m.ctx, client, got, request.verifier)).json()) as { id_token: string };
    assert.deepEqual(decodeJwt(tokens.id_token).amr, ['otp']);
  });

  it('a wrong code and a throttled try record sign_in.email_code_failed for the address’s account, none named for an unknown one', async () => {
    const user = await createTestUser(m.ctx);
    const browser = nextBrowser();
    const { html } = await askForCode(browser, user.email);
    await codeMailedTo(m, user.email);
    assert.equal((await enterCode(browser, html, '000000')).status, 401);
    const [wrong] = await m.ctx.scope.repos.events.list({ type: 'sign_in.email_code_failed', userId: user.id });
    assert.deepEqual(wrong?.payload, { reason: 'wrong' });
    assert.ok(wrong?.address);
    for (let i = 0; i < TRIES_PER_INTERACTION; i++) await enterCode(browser, html, '000001');
    const reasons = (await m.ctx.scope.repos.events.list({ type: 'sign_in.email_code_failed', userId: user.id })).map(
      (e) => (e.payload as { reason: string }).reason,
    );
    assert.ok(reasons.includes('throttled'), reasons.join());
    const stranger = nextBrowser();
    const unknown = await askForCode(stranger, 'nobody-at-all@example.com');
    const before = (await m.ctx.scope.repos.events.list({ type: 'sign_in.email_code_failed' })).length;
    assert.equal((await enterCode(stranger, unknown.html, '123456')).status, 401);
    const all = await m.ctx.scope.repos.events.list({ type: 'sign_in.email_code_failed' });
    assert.equal(all.length, before + 1);
    assert.equal(all[0]?.userId, null);
  });

  /** Makes every insert into sessions fail, so a sign-in's session transaction rolls back. */
  async function refuseSessions(): Promise<() => Promise<void>> {
    const db = m.ctx.services.store.db;
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`CREATE FUNCTION refuse_sessions() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'no sessions'; END $$ LANGUAGE plpgsql`.execute(db);
      await sql`CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION refuse_sessions()`.execute(db);
      return async () => {
        await sql`DROP TRIGGER refuse_sessions ON sessions`.execute(db);
        await sql`DROP FUNCTION refuse_sessions()`.execute(db);
      };
    }
    await sql`CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'no sessions'); END`.execute(db);
    return async () => void (await sql`DROP TRIGGER refuse_sessions`.execute(db));
  }

  it('sign_in.email_code and the proven address are written in the session’s transaction: no session, neither', async () => {
    for (const where of ['account', 'app'] as const) {
      const user = await createTestUser(m.ctx);
      await m.ctx.scope.repos.users.update(user.id, { emailVerified: false });
      const browser = nextBrowser();
      let html: string;
      if (where === 'account') html = (await askForCode(browser, user.email)).html;
      else {
        const client = await confidentialClient(m.ctx, { firstParty: true });
        const login = await openLoginPage(browser, authorizeUrl(client.id).url);
        const { url, body } = formPost(login, '/login', { email: user.email });
        html = await (await browser.request(url.replace(/\/login$/, '/email-code/send'), { method: 'POST', headers: FORM_HEADERS, body })).text();
      }
      const code = await codeMailedTo(m, user.email);
      const restore = await refuseSessions();
      try {
        const res = await enterCode(browser, html, code);
        assert.equal(res.status, 500, where);
      } finally {
        await restore();
      }
      assert.deepEqual(await m.ctx.scope.repos.sessions.listForUser(user.id), [], `${where}: no session`);
      assert.deepEqual(await m.ctx.scope.repos.events.list({ type: 'sign_in.email_code', userId: user.id }), [], `${where}: no event`);
      assert.equal((await m.ctx.scope.repos.users.findById(user.id))?.emailVerified, false, `${where}: the address is not marked proven`);

      // With sessions stored again, a new code signs in and writes both.
      const again = where === 'account' ? (await askForCode(browser, user.email)).html : html;
      if (where === 'app') continue; // the app's interaction is spent with its code; the account path shows the success
      const signedIn = await enterCode(browser, again, await codeMailedTo(m, user.email));
      assert.equal(signedIn.status, 303);
      const [event] = await m.ctx.scope.repos.events.list({ type: 'sign_in.email_code', userId: user.id });
      assert.ok(event);
      assert.equal((await m.ctx.scope.repos.users.findById(user.id))?.emailVerified, true);
    }
  });
});

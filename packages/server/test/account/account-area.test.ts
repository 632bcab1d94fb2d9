import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/auth/password.js';
import { accountReturnPath } from '../../src/account/paths.js';
import { SECURITY_SECTIONS } from '../../src/account/security-section-list.js';
import { parseUserAgent } from '../../src/account/user-agent.js';
import { AccountSecurityPage } from '../../src/pages/account-security.js';
import { translator } from '../../src/pages/translator.js';
import { createIssuer } from '../../src/issuers/service.js';
import { scopeOf } from '../../src/services.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import {
  CHROME_WINDOWS,
  FIREFOX_LINUX,
  SAFARI_IPHONE,
  accountPage,
  csrfOf,
  deviceBrowser,
  post,
  signInAt,
  submitSignIn,
  text,
} from '../helpers/account-area.js';
import { tokensFor } from '../helpers/account-pages.js';
import { isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { TEST_PASSWORD, type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, basic, confidentialClient, refresh } from '../helpers/oauth-requests.js';
import { atRe } from '../helpers/prefix.js';

const HOME = `${ISSUER}/account`;
const SECURITY = `${ISSUER}/account/security`;
const SESSIONS = `${ISSUER}/account/sessions`;
const ACTIVITY = `${ISSUER}/account/activity`;
const CLOSE = `${ISSUER}/account/close`;
const REAUTH = `${ISSUER}/account/reauth`;

describe('the account area', () => {
  let ctx: TestContext;
  let client: Confidential;
  let ip = 0;
  const nextIp = (): string => `192.0.2.${++ip}`;

  /** A browser at a fresh address, signed in to the account pages as `email`. */
  async function signedIn(email: string, userAgent = CHROME_WINDOWS, address = nextIp()): Promise<HttpBrowser> {
    const browser = deviceBrowser(ctx, address, userAgent);
    const res = await signInAt(browser, ISSUER, HOME, email);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), HOME, 'the account sign-in ends on the account home');
    return browser;
  }

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_TRUST_PROXY: 'true' });
    client = await confidentialClient(ctx, { scopes: ['openid', 'profile', 'email', 'offline_access'] });
  });
  after(() => ctx.close());

  describe('navigation and the account home', () => {
    it('signed out, every account page is the sign-in form, which comes back to that page', async () => {
      const user = await createTestUser(ctx);
      for (const path of ['/account', '/account/security', '/account/sessions', '/account/activity', '/account/close']) {
        const browser = deviceBrowser(ctx, nextIp());
        const res = await signInAt(browser, ISSUER, `${ISSUER}${path}`, user.email);
        assert.equal(res.status, 303, path);
        assert.equal(res.headers.get('location'), `${ISSUER}${path}`, path);
      }
    });

    it('every page has the same navigation, with the current page marked', async () => {
      const user = await createTestUser(ctx);
      const browser = await signedIn(user.email);
      const pages: [string, string][] = [
        ['/account', 'profile'],
        ['/account/security', 'security'],
        ['/account/sessions', 'sessions'],
        ['/account/activity', 'activity'],
        ['/account/apps', 'apps'],
        ['/account/close', 'close'],
        ['/account/password', 'security'],
      ];
      for (const [path, current] of pages) {
        const html = await accountPage(browser, `${ISSUER}${path}`);
        const nav = /<nav class="account-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
        for (const [target, id] of pages.slice(0, 6)) assert.match(nav, new RegExp(`<a href="${atRe(target)}" id="nav-${id}"`), `${path} links ${target}`);
        assert.deepEqual(
          [...nav.matchAll(/id="nav-(\w+)" aria-current="page"/g)].map((m) => m[1]),
          [current],
          `${path} marks ${current}`,
        );
      }
    });

    it('edits the name and picture; the picture must be https; the email links to its change page', async () => {
      const user = await createTestUser(ctx);
      const browser = await signedIn(user.email);
      const home = await accountPage(browser, HOME);
      assert.match(home, new RegExp(`<a href="${atRe('/account/email')}" id="change-email-link">`));
      assert.match(text(home), new RegExp(`${user.email.replace('.', '\\.')} \\(verified\\)`));
      const csrf = csrfOf(home);
      const saved = await post(browser, HOME, { csrf, name: 'Ada King', picture: 'https://images.example/ada.png' });
      assert.equal(saved.status, 303);
      assert.equal(saved.headers.get('location'), `${HOME}?notice=saved`);
      assert.match(await accountPage(browser, `${HOME}?notice=saved`), /Your profile has been saved\./);
      const after = await ctx.scope.repos.users.findById(user.id);
      assert.equal(after?.name, 'Ada King');
      assert.equal(after?.picture, 'https://images.example/ada.png');

      for (const picture of ['http://images.example/ada.png', 'javascript:alert(1)', 'https://a b.example/x', `https://images.example/${'x'.repeat(2100)}`]) {
        const refused = await post(browser, HOME, { csrf, name: 'Mallory', picture });
        assert.equal(refused.status, 400, picture.slice(0, 40));
        assert.match(await refused.text(), /The picture must be an https address/);
      }
      const longName = await post(browser, HOME, { csrf, name: 'x'.repeat(201), picture: '' });
      assert.equal(longName.status, 400);
      assert.equal((await ctx.scope.repos.users.findById(user.id))?.name, 'Ada King', 'nothing refused was stored');

      const cleared = await post(browser, HOME, { csrf, name: '', picture: '' });
      assert.equal(cleared.status, 303);
      const now = await ctx.scope.repos.users.findById(user.id);
      assert.deepEqual([now?.name, now?.picture], [null, null]);

      assert.equal((await post(browser, HOME, { name: 'No token' })).status, 403);
      assert.equal((await post(browser, HOME, { csrf: 'forged', name: 'No token' })).status, 403);
      assert.equal((await post(deviceBrowser(ctx, nextIp()), HOME, { csrf, name: 'No session' })).status, 403);
      assert.equal((await ctx.scope.repos.users.findById(user.id))?.name, null);
    });
  });

  describe('a fresh sign-in (re-auth)', () => {
    it('asks for the password again and comes back to the page with a recent session', async () => {
      const user = await createTestUser(ctx);
      const browser = await signedIn(user.email);
      ctx.clock.advance(10 * 60);
      const security = await accountPage(browser, SECURITY);
      assert.match(security, /id="reauth-form"/, 'a stale session is offered the fresh sign-in');
      assert.match(security, /name="return" value="\/account\/security"/);
      assert.match(security, /id="security-password"/);

      const res = await post(browser, REAUTH, { csrf: csrfOf(security), return: '/account/security' });
      const form = await res.text();
      assert.equal(res.status, 200);
      assert.ok(isLoginPage({ url: REAUTH, status: 200, html: form }), 'the password form');
      assert.match(form, new RegExp(`value="${user.email.replace('.', '\\.')}"`), 'prefilled with the signed-in address');

      const wrong = await submitSignIn(browser, ISSUER, form, user.email, 'not the password at all');
      assert.equal(wrong.status, 401);
      const done = await submitSignIn(browser, ISSUER, form, user.email);
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), SECURITY);
      const fresh = await accountPage(browser, SECURITY);
      assert.doesNotMatch(fresh, /id="reauth-form"/, 'signed in recently now');
      const sessions = await ctx.scope.repos.sessions.listForUser(user.id);
      assert.equal(sessions.length, 1, 'the fresh sign-in replaced the session');
      assert.equal(sessions[0]?.authTime, ctx.clock());
    });

    it('returns only to the fixed account paths: URLs, other hosts and look-alikes are refused', async () => {
      const user = await createTestUser(ctx);
      const browser = await signedIn(user.email);
      const csrf = csrfOf(await accountPage(browser, HOME));
      const attempts = [
        'https://evil.example/',
        '//evil.example/account/security',
        `${ISSUER}/account/security`,
        '/account/security?next=https://evil.example',
        '/account/security/',
        '/account/../oauth/authorize',
        '/ACCOUNT/SECURITY',
        '/account/security#x',
        '\\\\evil.example',
        '',
      ];
      for (const value of attempts) {
        const res = await post(browser, REAUTH, { csrf, return: value });
        assert.equal(res.status, 400, value);
        assert.equal(res.headers.get('location'), null);
        assert.doesNotMatch(res.headers.getSetCookie().join('\n'), /interaction/i, `no sign-in started for ${value}`);
        assert.match(await res.text(), /That page cannot be opened after confirming your password/);
      }
      assert.equal((await post(browser, REAUTH, { csrf })).status, 400, 'no return at all');
      assert.equal((await post(browser, REAUTH, { return: '/account/security' })).status, 403, 'no CSRF token');
      assert.equal((await post(deviceBrowser(ctx, nextIp()), REAUTH, { csrf, return: '/account/security' })).status, 403, 'no session');
      // Each listed path is accepted as it is.
      for (const path of ['/account', '/account/security', '/account/close', '/account/email', '/account/sessions'])
        assert.equal(accountReturnPath(path), path);
      assert.equal(accountReturnPath(['/account']), undefined);
    });
  });

  describe('sessions and devices', () => {
    it('lists each browser with its name, address and times, this one marked', async () => {
      const user = await createTestUser(ctx);
      const phoneIp = nextIp();
      const laptop = await signedIn(user.email, CHROME_WINDOWS);
      await signedIn(user.email, SAFARI_IPHONE, phoneIp);
      const html = await accountPage(laptop, SESSIONS);
      const items = [...html.matchAll(/<li class="session"[\s\S]*?<\/li>/g)].map((m) => text(m[0]));
      assert.equal(items.length, 2);
      const mine = items.find((i) => i.includes('This device'));
      const phone = items.find((i) => !i.includes('This device'));
      assert.match(mine ?? '', /Chrome on Windows/);
      assert.match(phone ?? '', /Safari on iOS/);
      assert.match(phone ?? '', new RegExp(`Address: ${phoneIp.replace(/\./g, '\\.')}`));
      assert.match(phone ?? '', /Signed in: .* UTC/);
      assert.match(phone ?? '', /Last active: .* UTC/);
      assert.equal([...html.matchAll(/class="end-session-form"/g)].length, 1, 'only the other one has a sign-out button');
    });

    it('notes last use at most every five minutes', async () => {
      const user = await createTestUser(ctx);
      const browser = await signedIn(user.email);
      const [started] = await ctx.scope.repos.sessions.listForUser(user.id);
      assert.equal(started?.lastSeenAt, null);
      ctx.clock.advance(60);
      await accountPage(browser, HOME);
      assert.equal((await ctx.scope.repos.sessions.listForUser(user.id))[0]?.lastSeenAt, null, 'a minute later: not written');
      ctx.clock.advance(5 * 60);
      await accountPage(browser, HOME);
      const seen = ctx.clock();
      assert.equal((await ctx.scope.repos.sessions.listForUser(user.id))[0]?.lastSeenAt, seen);
      ctx.clock.advance(60);
      await accountPage(browser, HOME);
      assert.equal((await ctx.scope.repos.sessions.listForUser(user.id))[0]?.lastSeenAt, seen, 'not again within the step');
    });

    it('signs out another session with its apps’ refresh tokens, but not those given offline_access', async () => {
      const user = await createTestUser(ctx);
      const laptop = await signedIn(user.email);
      const other = deviceBrowser(ctx, nextIp(), FIREFOX_LINUX);
      const online = await tokensFor(ctx, client, user.email, other, 'openid profile');
      const offline = await tokensFor(ctx, client, user.email, other, 'openid offline_access');
      const page = await accountPage(laptop, SESSIONS);
      const items = [...page.matchAll(/<li class="session"[^>]*data-sid="([^"]+)"[\s\S]*?<\/li>/g)];
      assert.equal(items.length, 2, 'one session per browser: the app sign-ins reused the other browser’s');
      const sid = items.find((m) => m[0].includes('Firefox on Linux'))?.[1];
      assert.ok(sid);
      const res = await post(laptop, `${ISSUER}/account/sessions/end`, { csrf: csrfOf(page), sid });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `${SESSIONS}?notice=ended`);
      assert.match(await accountPage(laptop, `${SESSIONS}?notice=ended`), /That session has been signed out\./);
      assert.equal((await refresh(ctx, basic(client), online.refresh)).status, 400, 'the online grant ended with its session');
      assert.equal((await refresh(ctx, basic(client), offline.refresh)).status, 200, 'offline_access survives');
      const elsewhere = await other.request(HOME);
      assert.ok(isLoginPage({ url: HOME, status: elsewhere.status, html: await elsewhere.text() }), 'that browser is signed out');
      const ended = await ctx.scope.repos.events.page({ types: ['session.ended'], userId: user.id, limit: 10 });
      assert.equal(ended.length, 1);
      assert.deepEqual(ended[0]?.payload, { reason: 'signed_out_elsewhere' });
      assert.equal(ended[0]?.actor, `user:${user.id}`);
      // Again: it is gone; someone else's sid is gone too; this browser's own is not signed out here.
      assert.equal((await post(laptop, `${ISSUER}/account/sessions/end`, { csrf: csrfOf(page), sid })).headers.get('location'), `${SESSIONS}?notice=gone`);
      const stranger = await createTestUser(ctx);
      await signedIn(stranger.email);
      const [theirs] = await ctx.scope.repos.sessions.listForUser(stranger.id);
      assert.ok(theirs);
      assert.equal(
        (await post(laptop, `${ISSUER}/account/sessions/end`, { csrf: csrfOf(page), sid: theirs.sid })).headers.get('location'),
        `${SESSIONS}?notice=gone`,
      );
      assert.equal((await ctx.scope.repos.sessions.listForUser(stranger.id)).length, 1, 'theirs is untouched');
      const [own] = await ctx.scope.repos.sessions.listForUser(user.id);
      assert.ok(own);
      assert.equal(
        (await post(laptop, `${ISSUER}/account/sessions/end`, { csrf: csrfOf(page), sid: own.sid })).headers.get('location'),
        `${SESSIONS}?notice=gone`,
      );
      assert.equal((await post(laptop, `${ISSUER}/account/sessions/end`, { csrf: csrfOf(page), sid: '<script>' })).status, 400);
      assert.equal((await post(laptop, `${ISSUER}/account/sessions/end`, { sid })).status, 403);
    });

    it('signs out every other session at once; this one stays', async () => {
      const user = await createTestUser(ctx);
      const laptop = await signedIn(user.email);
      const a = deviceBrowser(ctx, nextIp(), FIREFOX_LINUX);
      const b = deviceBrowser(ctx, nextIp(), SAFARI_IPHONE);
      const online = await tokensFor(ctx, client, user.email, a, 'openid profile');
      const offline = await tokensFor(ctx, client, user.email, b, 'openid offline_access');
      assert.equal((await ctx.scope.repos.sessions.listForUser(user.id)).length, 3);
      const page = await accountPage(laptop, SESSIONS);
      const res = await post(laptop, `${ISSUER}/account/sessions/end-others`, { csrf: csrfOf(page) });
      assert.equal(res.headers.get('location'), `${SESSIONS}?notice=others`);
      const left = await ctx.scope.repos.sessions.listForUser(user.id);
      assert.equal(left.length, 1);
      const after = await accountPage(laptop, `${SESSIONS}?notice=others`);
      assert.match(after, /Every other session has been signed out\./);
      assert.match(after, /No other browser is signed in to your account\./);
      assert.equal((await refresh(ctx, basic(client), online.refresh)).status, 400);
      assert.equal((await refresh(ctx, basic(client), offline.refresh)).status, 200);
    });
  });

  describe('recent activity', () => {
    it('shows this user’s sign-ins, failed and successful, with addresses, and nobody else’s, at this issuer only', async () => {
      const beta = await betaIssuer();
      const ada = await createTestUser(ctx);
      const eve = await createTestUser(ctx);
      await betaUser(beta, ada.email);
      const wrongIp = nextIp();
      const failed = await signInAt(deviceBrowser(ctx, wrongIp), ISSUER, HOME, ada.email, 'wrong password entirely');
      assert.equal(failed.status, 401);
      await signInAt(deviceBrowser(ctx, nextIp()), ISSUER, HOME, eve.email, 'wrong password for eve');
      await signInAt(deviceBrowser(ctx, nextIp()), `${ISSUER}/beta`, `${ISSUER}/beta/account`, ada.email, 'wrong password at beta');
      const okIp = nextIp();
      const browser = await signedIn(ada.email, CHROME_WINDOWS, okIp);
      const html = await accountPage(browser, ACTIVITY);
      assert.match(html, /src="[^"]*\/assets\/local-time\.js"/, 'times are shown in the browser’s zone');
      const items = [...html.matchAll(/<li class="activity-item" data-type="([^"]+)">([\s\S]*?)<\/li>/g)].map((m) => ({ type: m[1], text: text(m[2] ?? '') }));
      const failures = items.filter((i) => i.type === 'sign_in.failed');
      assert.equal(failures.length, 1, 'one failed sign-in: not Eve’s, not beta’s');
      assert.match(failures[0]?.text ?? '', new RegExp(`Failed sign-in: wrong password .* from ${wrongIp.replace(/\./g, '\\.')}`));
      const signIns = items.filter((i) => i.type === 'session.started');
      assert.equal(signIns.length, 1);
      assert.match(signIns[0]?.text ?? '', new RegExp(`Signed in .*<?from ${okIp.replace(/\./g, '\\.')}`));
      assert.match(html, /<time datetime="[^"]+" data-local="">/);
    });

    it('lists apps granted and removed, and password changes', async () => {
      const user = await createTestUser(ctx);
      await tokensFor(ctx, client, user.email, deviceBrowser(ctx, nextIp()), 'openid profile');
      const browser = await signedIn(user.email);
      const apps = await accountPage(browser, `${ISSUER}/account/apps`);
      const grant = /name="grant" value="([^"]+)"/.exec(apps)?.[1];
      assert.ok(grant);
      assert.equal((await post(browser, `${ISSUER}/account/apps/remove`, { csrf: csrfOf(apps), grant, confirm: 'yes' })).status, 303);
      const changed = await post(browser, `${ISSUER}/account/password`, {
        csrf: csrfOf(apps),
        current: TEST_PASSWORD,
        password: 'another long passphrase here',
        confirm: 'another long passphrase here',
      });
      assert.equal(changed.status, 303);
      const activity = text(await accountPage(browser, ACTIVITY));
      assert.match(activity, /Gave Example Business access/);
      assert.match(activity, /Took access away from Example Business/);
      assert.match(activity, /Password changed/);
    });

    it('pages with a cursor, newest first, without repeating or skipping', async () => {
      const user = await createTestUser(ctx);
      const browser = await signedIn(user.email);
      for (let i = 0; i < 30; i++) {
        await ctx.scope.repos.events.record({ type: 'sign_in.failed', userId: user.id, address: `198.51.100.${i}`, payload: { reason: 'wrong_password' } });
        ctx.clock.advance(1);
      }
      const first = await accountPage(browser, ACTIVITY);
      const addresses = (html: string): string[] => [...html.matchAll(/198\.51\.100\.(\d+)/g)].map((m) => m[1] as string);
      assert.deepEqual(
        addresses(first),
        Array.from({ length: 25 }, (_, i) => String(29 - i)),
      );
      const older = /href="([^"]*\/account\/activity\?before=[^"]+)" id="older-activity"/.exec(first)?.[1];
      assert.ok(older);
      const second = await accountPage(browser, new URL(older.replace(/&amp;/g, '&'), ISSUER).href);
      assert.deepEqual(addresses(second), ['4', '3', '2', '1', '0']);
      assert.doesNotMatch(second, /id="older-activity"/);
      assert.match(second, /id="newest-activity"/);
      // A cursor that is not one is the first page; a query that cannot be read is a readable 400.
      for (const bad of ['x', '1.', '.abc', '99999999999999999999.a', '1.a%20b']) {
        const res = await browser.request(`${ACTIVITY}?before=${bad}`);
        assert.equal(res.status, 200, bad);
        assert.deepEqual(addresses(await res.text()).slice(0, 1), ['29'], bad);
      }
      for (const query of ['before=%ZZ', 'before=1.a&before=2.b']) assert.equal((await browser.request(`${ACTIVITY}?${query}`)).status, 400, query);
      assert.equal((await browser.request(`${SESSIONS}?notice=%ZZ`)).status, 400);
      assert.equal((await browser.request(`${HOME}?notice=<script>`)).status, 200);
    });
  });

  describe('closing the account', () => {
    it('needs a recent sign-in; then deletes the user with every grant and session, keeping the reason', async () => {
      const user = await createTestUser(ctx);
      const offline = await tokensFor(ctx, client, user.email, deviceBrowser(ctx, nextIp()), 'openid offline_access');
      const browser = await signedIn(user.email);
      const other = await signedIn(user.email, FIREFOX_LINUX);
      ctx.clock.advance(10 * 60);
      const stale = await accountPage(browser, CLOSE);
      assert.match(stale, /name="return" value="\/account\/close"/);
      assert.doesNotMatch(stale, /id="close-form"/);
      assert.match(stale, /Your account and everything stored with it will be deleted\./);
      const tooLate = await post(browser, CLOSE, { csrf: csrfOf(stale), reason: 'privacy', confirm: 'yes' });
      assert.equal(tooLate.status, 400);
      assert.ok(await ctx.scope.repos.users.findById(user.id), 'nothing closed without a recent sign-in');

      const reauth = await post(browser, REAUTH, { csrf: csrfOf(stale), return: '/account/close' });
      const back = await submitSignIn(browser, ISSUER, await reauth.text(), user.email);
      assert.equal(back.headers.get('location'), CLOSE);
      const page = await accountPage(browser, CLOSE);
      assert.match(page, /id="close-form"/);
      const csrf = csrfOf(page);
      for (const [fields, message] of [
        [{ confirm: 'yes' }, /Choose why you are closing your account/],
        [{ reason: 'bored', confirm: 'yes' }, /Choose why you are closing your account/],
        [{ reason: 'privacy' }, /Tick the box/],
        [{ reason: 'privacy', confirm: 'yes', details: 'x'.repeat(2001) }, /2000 characters or fewer/],
        [{ reason: 'privacy', confirm: 'yes', details: 'bad\u0007byte' }, /2000 characters or fewer/],
      ] as const) {
        const res = await post(browser, CLOSE, { csrf, ...fields });
        assert.equal(res.status, 400);
        assert.match(await res.text(), message);
      }
      assert.equal((await post(browser, CLOSE, { reason: 'privacy', confirm: 'yes' })).status, 403);

      const closed = await post(browser, CLOSE, { csrf, reason: 'privacy', details: 'Too many mails.\nThanks anyway.', confirm: 'yes' });
      assert.equal(closed.status, 200);
      assert.match(await closed.text(), /Your account is closed/);
      assert.match(closed.headers.getSetCookie().join('\n'), /Max-Age=0/i, 'the session cookie is cleared');
      assert.equal(await ctx.scope.repos.users.findById(user.id), undefined, 'deleted');
      assert.equal((await refresh(ctx, basic(client), offline.refresh)).status, 400, 'even offline_access grants end');
      const elsewhere = await other.request(HOME);
      assert.ok(isLoginPage({ url: HOME, status: elsewhere.status, html: await elsewhere.text() }));
      const [closure] = await ctx.scope.repos.accountClosures.list();
      assert.deepEqual(
        { userId: closure?.userId, reason: closure?.reason, details: closure?.details, outcome: closure?.outcome },
        { userId: user.id, reason: 'privacy', details: 'Too many mails.\nThanks anyway.', outcome: 'deleted' },
      );
      const events = await ctx.scope.repos.events.page({ types: ['user.closed'], userId: user.id, limit: 5 });
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]?.payload, { outcome: 'deleted' });
      assert.equal(events[0]?.actor, `user:${user.id}`);
      // The address is free again.
      assert.ok(await createTestUser(ctx, user.email));
    });

    it('anonymises instead when the issuer says so: the row stays, can never sign in, and the address can sign up again', async () => {
      const keep = await anonymisingIssuer();
      const email = `grace-${ip}@example.com`;
      const user = await keep.repos.users.create({ email, emailVerified: true, passwordHash: await hashPassword(TEST_PASSWORD), name: 'Grace Hopper' });
      const url = `${ISSUER}/keep/account/close`;
      const browser = deviceBrowser(ctx, nextIp());
      const signIn = await signInAt(browser, `${ISSUER}/keep`, url, email);
      assert.equal(signIn.headers.get('location'), url);
      const page = await accountPage(browser, url);
      assert.match(page, /a record without them is kept/);
      const closed = await post(browser, url, { csrf: csrfOf(page), reason: 'other_account', confirm: 'yes' });
      assert.equal(closed.status, 200);
      const row = await keep.repos.users.findById(user.id);
      assert.ok(row, 'the row stays');
      assert.equal(row.email, `closed-${user.id}@closed.invalid`);
      assert.deepEqual([row.name, row.picture, row.passwordHash, row.disabled, row.emailVerified], [null, null, null, true, false]);
      const again = await signInAt(deviceBrowser(ctx, nextIp()), `${ISSUER}/keep`, `${ISSUER}/keep/account`, email);
      assert.equal(again.status, 401, 'the old address signs no one in');
      const [closure] = await keep.repos.accountClosures.list();
      assert.equal(closure?.outcome, 'anonymised');
      assert.equal(
        (await ctx.scope.repos.accountClosures.list()).some((c) => c.userId === user.id),
        false,
        'kept at its own issuer',
      );
      assert.ok(await keep.repos.users.create({ email, emailVerified: false, passwordHash: null }), 'the address can sign up again');
    });

    it('the last console owner cannot close their account', async () => {
      const user = await createTestUser(ctx);
      const owners = await ctx.scope.repos.adminRoles.ownerCount();
      if (owners === 0) await ctx.scope.repos.adminRoles.set(user.id, 'owner');
      else return;
      const browser = await signedIn(user.email);
      const page = await accountPage(browser, CLOSE);
      const res = await post(browser, CLOSE, { csrf: csrfOf(page), reason: 'other', confirm: 'yes' });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /last owner/);
      assert.ok(await ctx.scope.repos.users.findById(user.id));
      assert.equal((await ctx.scope.repos.sessions.listForUser(user.id)).length, 1, 'nothing ended');
      await ctx.scope.repos.adminRoles.remove(user.id);
    });
  });

  let beta: IssuerScope | undefined;
  async function betaIssuer(): Promise<IssuerScope> {
    if (!beta) {
      await createIssuer(ctx.services, { id: 'beta', name: 'Beta' });
      beta = await scopeOf(ctx.services, 'beta');
    }
    return beta;
  }
  async function betaUser(scope: IssuerScope, email: string): Promise<void> {
    await scope.repos.users.create({ email, emailVerified: true, passwordHash: await hashPassword(TEST_PASSWORD), name: 'Ada at Beta' });
  }
  async function anonymisingIssuer(): Promise<IssuerScope> {
    await createIssuer(ctx.services, { id: 'keep', name: 'Keep', settings: { closedAccounts: 'anonymise' } });
    return scopeOf(ctx.services, 'keep');
  }
});

describe('the User-Agent as a person reads it', () => {
  it('names the common browsers and systems, and says so when it cannot', () => {
    const cases: [string | null, string | undefined, string | undefined][] = [
      [CHROME_WINDOWS, 'Chrome', 'Windows'],
      [FIREFOX_LINUX, 'Firefox', 'Linux'],
      [SAFARI_IPHONE, 'Safari', 'iOS'],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'Safari', 'macOS'],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge', 'Windows'],
      ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome', 'Android'],
      [
        'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
        'Samsung Internet',
        'Android',
      ],
      ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'ChromeOS'],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0', 'Opera', 'Windows'],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
        'Chrome',
        'iOS',
      ],
      ['curl/8.5.0', 'curl', undefined],
      ['something else', undefined, undefined],
      [null, undefined, undefined],
      ['(('.repeat(300), undefined, undefined],
    ];
    for (const [agent, browser, os] of cases) assert.deepEqual(parseUserAgent(agent), { browser, os }, String(agent).slice(0, 60));
  });
});

describe('the security page’s sections', () => {
  it('draws the password first, then each registered section in order, each in its own section', async () => {
    const ctx = await createTestContext();
    try {
      const html = String(
        await AccountSecurityPage({
          site: ctx.scope,
          t: translator('en'),
          userEmail: 'ada@example.com',
          csrf: 'token',
          recent: true,
          sections: [
            { id: 'passkeys', body: 'Passkeys here' },
            { id: 'totp', body: 'Authenticator app here' },
          ],
        }),
      );
      const order = ['id="security-password"', 'id="security-passkeys"', 'id="security-totp"'].map((marker) => html.indexOf(marker));
      assert.ok(order.every((i) => i > 0));
      assert.deepEqual(
        [...order].sort((x, y) => x - y),
        order,
      );
      assert.match(html, /Passkeys here/);
      assert.doesNotMatch(html, /id="reauth-form"/, 'recent: no fresh sign-in offered');
      assert.deepEqual(
        SECURITY_SECTIONS.map((s) => s.id),
        [...new Set(SECURITY_SECTIONS.map((s) => s.id))],
        'section ids are unique',
      );
    } finally {
      await ctx.close();
    }
  });
});

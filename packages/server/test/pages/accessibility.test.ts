import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { LOCALES, type Locale, direction } from '../../src/pages/locales.js';
import { TEST_PASSWORD, basicAuth, createTestUser } from '../helpers/harness.js';
import { startLiveServer } from '../helpers/live-server.js';
import { pkcePair } from '../helpers/pkce.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const LOGO = `data:image/svg+xml,${encodeURIComponent("<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64'><rect width='64' height='64' rx='12' fill='#1d4ed8'/></svg>")}`;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// Set to a directory to keep screenshots of a few pages, for a person to look at the layout.
const SCREENSHOTS = process.env.TEST_SCREENSHOTS;
const SHOT = new Set([
  'en sign-in',
  'ar sign-in',
  'de consent',
  'ar consent',
  'ar account chooser',
  'ar account apps',
  'en account apps',
  'ar remove access confirm',
  'fr change password',
  'es reset link sent',
]);

interface Violation {
  page: string;
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Every hosted page, in each of the five languages, opened in Chromium as it is served (the
 * strict CSP stays on: axe's source is evaluated through the DevTools protocol, not injected as
 * a script tag), checked with axe-core's default rules. One browser, one context per language.
 */
describe('the hosted pages in Chromium: no axe-core violation in any language', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let sink: SmtpSink;
  let browser: Browser;
  let client: { id: string; secret: string };

  before(
    async () => {
      if (!fs.existsSync(CHROMIUM))
        throw new Error(`Chromium is not installed at ${CHROMIUM}; install it (Debian: apt-get install chromium) to run the browser tests.`);
      sink = await startSmtpSink();
      live = await startLiveServer({ GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
      const created = await live.ctx.scope.repos.clients.create({
        name: 'Example Business',
        description: 'Payments for small businesses',
        redirectUris: [`${live.issuer}/test-callback`],
        postLogoutRedirectUris: [],
        grantTypes: ['authorization_code'],
        scopes: ['openid', 'profile', 'email', 'payments'],
        isPublic: false,
        firstParty: false,
        // A logo that needs no request, and pages on the loopback server (never opened).
        links: { logoUri: LOGO, policyUri: `${live.issuer}/privacy`, tosUri: `${live.issuer}/terms` },
      });
      client = { id: created.client.id, secret: created.secret ?? '' };
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
      if (SCREENSHOTS) fs.mkdirSync(SCREENSHOTS, { recursive: true });
    },
    { timeout: 2 * WAIT_GUARD_MS },
  );

  after(async () => {
    await browser?.close();
    await live?.close();
    await sink?.close();
  });

  /** Runs axe on the page as it is; checks the language and direction first. */
  async function check(page: Page, locale: Locale, name: string): Promise<Violation[]> {
    const label = `${locale} ${name}`;
    const root = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
    assert.deepEqual(root, { lang: locale, dir: direction(locale) }, label);
    if (SCREENSHOTS && SHOT.has(label)) await page.screenshot({ path: path.join(SCREENSHOTS, `${label.replace(/ /g, '-')}.png`), fullPage: true });
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              context: Document,
              options: object,
            ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe;
      return (await axe.run(document, { resultTypes: ['violations'], iframes: false })).violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    });
    return results.map((v) => ({ page: label, ...v }));
  }

  async function allPages(locale: Locale): Promise<Violation[]> {
    const { issuer } = live;
    const found: Violation[] = [];
    const user = await createTestUser(live.ctx);
    // A zone far from UTC: the apps page shows its times in the browser's zone.
    const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_GUARD_MS);
    const open = async (route: string, name: string, status = 200): Promise<void> => {
      const res = await page.goto(`${issuer}${route}${route.includes('?') ? '&' : '?'}ui_locales=${locale}`);
      assert.equal(res?.status(), status, `${locale} ${name}`);
      found.push(...(await check(page, locale, name)));
    };
    try {
      const { verifier, challenge } = pkcePair();
      const authorize = new URL(`${issuer}/oauth/authorize`);
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: client.id,
        redirect_uri: `${issuer}/test-callback`,
        scope: 'openid profile email payments',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        authorize.searchParams.set(k, v);
      await open(`/oauth/authorize${authorize.search}`, 'sign-in');

      await page.fill('#email', user.email);
      await page.fill('#password', 'not the password');
      await page.click('#sign-in');
      await page.waitForSelector('#login-error');
      found.push(...(await check(page, locale, 'sign-in with an error')));

      await page.fill('#password', TEST_PASSWORD);
      await page.click('#sign-in');
      await page.waitForSelector('#consent-form');
      found.push(...(await check(page, locale, 'consent')));

      await Promise.all([page.waitForURL((url) => url.href.startsWith(`${issuer}/test-callback?`)), page.click('#approve')]);
      const code = new URL(page.url()).searchParams.get('code') ?? '';
      const token = await fetch(`${issuer}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basicAuth(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${issuer}/test-callback`, code_verifier: verifier }).toString(),
      });
      assert.equal(token.status, 200, 'the app has access, so the account page lists it');

      authorize.searchParams.set('prompt', 'select_account');
      await open(`/oauth/authorize${authorize.search}`, 'account chooser');

      await open('/account/apps', 'account apps');
      const shown = await page.evaluate(() => {
        const time = document.querySelector('time[data-local]');
        const when = new Date(time?.getAttribute('datetime') ?? '');
        const expected = new Intl.DateTimeFormat(document.documentElement.lang, {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZoneName: 'short',
          timeZone: 'Asia/Tokyo',
        }).format(when);
        return { text: time?.textContent, expected };
      });
      assert.equal(shown.text, shown.expected, `${locale}: the grant's time in the browser's zone`);
      await page.click('.remove-form button');
      await page.waitForSelector('#confirm-remove-form');
      found.push(...(await check(page, locale, 'remove access confirm')));
      await page.click('#keep-access');
      await page.waitForSelector('.remove-form');
      await page.click('.scope-form button');
      await page.waitForSelector('#confirm-remove-scope-form');
      found.push(...(await check(page, locale, 'remove permission confirm')));
      await page.click('#keep-scope');
      await page.waitForSelector('.scope-form');
      await open('/account/password', 'change password');
      await open('/oauth/logout', 'logout confirm');
      await page.click('#stay');
      await page.waitForSelector('#page-title');
      found.push(...(await check(page, locale, 'still signed in')));

      await open('/oauth/logout', 'logout confirm');
      await page.click('#logout');
      await page.waitForSelector('#way-back');
      found.push(...(await check(page, locale, 'signed out with a way back')));
      await page.click('#way-back');
      await page.waitForSelector('#login-form');
      await page.fill('#email', user.email);
      await page.fill('#password', TEST_PASSWORD);
      await page.click('#sign-in');
      await page.waitForSelector('#page-title');

      await open('/password/forgot', 'forgot password');
      await page.fill('#email', user.email);
      await page.click('#send-link');
      await page.waitForSelector('#reset-requested');
      found.push(...(await check(page, locale, 'reset link sent')));

      const resetToken = await live.ctx.scope.repos.passwordResets.create(user.id, 1800);
      await open(`/password/reset?token=${resetToken}`, 'reset password');
      await page.fill('#password', 'a brand new password');
      await page.fill('#confirm', 'a brand new password');
      await page.click('#set-password');
      await page.waitForSelector('#password-changed');
      found.push(...(await check(page, locale, 'password changed')));

      await open('/password/reset?token=spent', 'link invalid', 400);
      // The new password ended every session, so signing out has nothing to confirm.
      await open('/oauth/logout', 'signed out');
      await open(`/interaction/${'x'.repeat(20)}`, 'error page', 404);
      await open('/account/nothing-here', 'not found', 404);
      await open('/', 'home');
    } finally {
      await context.close();
    }
    return found;
  }

  it('finds nothing on sign-in, consent, the account chooser, the account, password, sign-out, error, not-found and home pages in en, de, fr, es and ar', {
    timeout: 3 * WAIT_GUARD_MS,
  }, async () => {
    // The languages side by side, each in a context of its own: most of the time is waiting.
    const violations = (await Promise.all(LOCALES.map((locale) => allPages(locale)))).flat();
    assert.deepEqual(violations, []);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type AxeViolation, axeViolations } from '../../../packages/server/test/helpers/axe.js';
import { createTestUser } from '../../../packages/server/test/helpers/harness.js';
import { startLiveServer } from '../../../packages/server/test/helpers/live-server.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-sync'];
const PASSWORD = 'correct horse battery staple';
// One journey of many pages, each waited for by Playwright: a guard, not a measure.
const JOURNEY_GUARD_MS = 6 * WAIT_GUARD_MS;
const ACCOUNT_PAGES = ['/account', '/account/security', '/account/sessions', '/account/activity', '/account/apps', '/account/password', '/account/close'];

let live: Awaited<ReturnType<typeof startLiveServer>> | undefined;
let browser: Browser | undefined;

before(
  async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
    live = await startLiveServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
  },
  { timeout: 2 * WAIT_GUARD_MS },
);

after(async () => {
  await browser?.close();
  await live?.close();
});

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').trim();
}

/** A fresh browser context signed in to the account pages as `email`, on the account home. */
async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  assert.ok(browser && live);
  // A zone other than the server's UTC, so the page's own rewriting of times is seen.
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_GUARD_MS);
  await page.goto(`${live.issuer}/account`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.waitForURL(`${live.issuer}/account`);
  assert.equal(await text(page, '#page-title'), 'Your account');
  return { context, page };
}

test('a person sees their sessions, signs another browser out, reads their activity and closes their account', { timeout: JOURNEY_GUARD_MS }, async () => {
  assert.ok(browser && live);
  const { issuer } = live;
  const user = await createTestUser(live.ctx, 'journey-account@example.com', PASSWORD);
  const laptop = await signedIn(user.email);
  const phone = await signedIn(user.email);
  const page = laptop.page;
  const violations: AxeViolation[] = [];

  // Both sessions, this one marked; the other signed out from here.
  await page.click('#nav-sessions');
  await page.waitForURL(`${issuer}/account/sessions`);
  assert.equal(await page.locator('li.session').count(), 2);
  assert.equal(await page.locator('li.session .this-device').count(), 1);
  assert.match(await text(page, 'li.session >> nth=0'), /Chrome on Linux/);
  violations.push(...(await axeViolations(page, 'en sessions, two')));
  await page.click('.end-session-form button');
  await page.waitForURL(`${issuer}/account/sessions?notice=ended`);
  assert.equal(await text(page, '#notice'), 'That session has been signed out.');
  assert.equal(await page.locator('li.session').count(), 1);

  // The other browser is signed out: its account page is the sign-in form again.
  await phone.page.reload();
  assert.equal(await phone.page.locator('#login-form').count(), 1);
  await phone.context.close();

  // The activity: both sign-ins and the sign-out, with times rewritten to the browser's zone.
  await page.click('#nav-activity');
  await page.waitForURL(`${issuer}/account/activity`);
  const kinds = await page.locator('li.activity-item').evaluateAll((items) => items.map((li) => li.getAttribute('data-type')));
  assert.equal(kinds.filter((k) => k === 'session.started').length, 2);
  assert.equal(kinds.filter((k) => k === 'session.ended').length, 1);
  assert.match(await text(page, 'li.activity-item time >> nth=0'), /GMT\+9$/, 'the script showed the time in the browser’s zone');

  // Every account page, in English and in Arabic (right to left): axe-core finds nothing wrong.
  for (const locale of ['en', 'ar']) {
    for (const route of ACCOUNT_PAGES) {
      await page.goto(`${issuer}${route}?ui_locales=${locale}`);
      const root = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
      assert.deepEqual(root, [locale, locale === 'ar' ? 'rtl' : 'ltr'], `${locale} ${route}`);
      assert.equal(await page.locator('nav.account-nav a[aria-current="page"]').count(), 1, `${locale} ${route}`);
      violations.push(...(await axeViolations(page, `${locale} ${route}`)));
    }
  }

  // Closing needs a sign-in within five minutes: later, the page asks for the password first.
  live.ctx.clock.advance(10 * 60);
  await page.goto(`${issuer}/account/close`);
  assert.equal(await page.locator('#close-form').count(), 0);
  violations.push(...(await axeViolations(page, 'en close, password first')));
  await page.click('#reauth');
  assert.equal(await page.inputValue('input[name="email"]'), user.email);
  violations.push(...(await axeViolations(page, 'en fresh sign-in')));
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.waitForURL(`${issuer}/account/close`);
  await page.check('#reason-other_account');
  await page.fill('#details', 'Moving to my work account.');
  await page.check('#confirm');
  await page.click('#close-account');
  await page.waitForSelector('#account-closed');
  assert.equal(await text(page, '#page-title'), 'Your account is closed');
  violations.push(...(await axeViolations(page, 'en closed')));
  assert.equal(await live.ctx.scope.repos.users.findById(user.id), undefined, 'the user is gone');
  const [closure] = await live.ctx.scope.repos.accountClosures.list();
  assert.equal(closure?.details, 'Moving to my work account.');

  // Signed out: the account page is the sign-in form.
  await page.goto(`${issuer}/account`);
  assert.equal(await page.locator('#login-form').count(), 1);
  await laptop.context.close();
  assert.deepEqual(violations, [], 'axe-core finds nothing wrong with any account page');
});

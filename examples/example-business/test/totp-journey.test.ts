import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { codeForStep, stepAt } from '../../../packages/server/src/factors/rfc6238.js';
import { updateIssuer } from '../../../packages/server/src/issuers/service.js';
import { type AxeViolation, axeViolations } from '../../../packages/server/test/helpers/axe.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { PASSWORD, type Stack, startStack } from './helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-sync'];
// Several pages, each waited for by Playwright: a guard, not a measure.
const JOURNEY_GUARD_MS = 6 * WAIT_GUARD_MS;

let stack: Stack | undefined;
let browser: Browser | undefined;

before(
  async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
    stack = await startStack();
    // People who have set up a second factor are asked for it.
    await updateIssuer(stack.ctx.services, 'default', { settings: { mfa: 'optional' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
  },
  { timeout: 2 * WAIT_GUARD_MS },
);

after(async () => {
  await browser?.close();
  await stack?.close();
});

const violations: AxeViolation[] = [];

/** The code the authenticator app shows now on the test's clock (the server's clock too). */
function codeNow(secret: string): string {
  assert.ok(stack);
  return codeForStep(secret, stepAt(stack.ctx.clock()));
}

/** From the app's home page through the password to the page after it. */
async function passwordSignIn(page: Page, email: string): Promise<void> {
  assert.ok(stack);
  await page.goto(`${stack.appUrl}/`);
  await page.click('#sign-in');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#login-form button[type="submit"]');
}

async function approveAndLand(page: Page): Promise<void> {
  assert.ok(stack);
  const { appUrl } = stack;
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL((url) => url.origin === appUrl && url.pathname === '/dashboard');
}

test('enrol an authenticator app on the account page, sign in with password and code, use a recovery code once', { timeout: JOURNEY_GUARD_MS }, async () => {
  assert.ok(stack && browser);
  const { issuer } = stack;
  const user = await stack.newUser();

  // 1. The account security page: sign in, set up the app with the QR code's key, keep recovery codes.
  const setup = await browser.newContext();
  const page = await setup.newPage();
  page.setDefaultTimeout(WAIT_GUARD_MS);
  await page.goto(`${issuer}/account/security/totp`);
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.waitForURL((url) => url.pathname.endsWith('/account'));
  await page.goto(`${issuer}/account/security/totp`);
  assert.match((await page.textContent('#totp-status')) ?? '', /No authenticator app/);
  await page.click('#totp-add');
  await page.waitForSelector('#totp-qr svg');
  violations.push(...(await axeViolations(page, 'totp-enrol')));
  const secret = ((await page.textContent('#totp-secret')) ?? '').replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await page.fill('#totp-code', codeNow(secret));
  await page.click('#totp-confirm');
  await page.waitForSelector('#notice');
  assert.match((await page.textContent('#totp-status')) ?? '', /An authenticator app is set up/);
  await page.click('#recovery-generate');
  await page.waitForSelector('#recovery-codes');
  const codes = (await page.locator('#recovery-codes code').allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await setup.close();
  // The step the enrolment used is spent; the next sign-in uses the next one.
  stack.ctx.clock.advance(30);

  // 2. Sign in to the app: the password, then the code.
  const withCode = await browser.newContext();
  const signIn = await withCode.newPage();
  signIn.setDefaultTimeout(WAIT_GUARD_MS);
  await passwordSignIn(signIn, user.email);
  await signIn.waitForSelector('#totp-form');
  violations.push(...(await axeViolations(signIn, 'mfa-step')));
  await signIn.fill('#totp-code', codeNow(secret));
  await signIn.click('#totp-submit');
  await approveAndLand(signIn);
  await withCode.close();

  // 3. The phone is lost: a recovery code instead, once.
  const recovery = await browser.newContext();
  const lost = await recovery.newPage();
  lost.setDefaultTimeout(WAIT_GUARD_MS);
  await passwordSignIn(lost, user.email);
  await lost.click('details.recovery summary');
  await lost.fill('#recovery-code', codes[0] as string);
  await lost.click('#recovery-submit');
  await lost.waitForURL((url) => url.pathname.includes('/interaction/') || url.pathname === '/dashboard');
  // A third-party app: consent after the factor (remembered consent skips it).
  if (await lost.isVisible('button#approve')) await approveAndLand(lost);
  else await lost.waitForURL((url) => url.pathname === '/dashboard');
  await recovery.close();

  const again = await browser.newContext();
  const twice = await again.newPage();
  twice.setDefaultTimeout(WAIT_GUARD_MS);
  await passwordSignIn(twice, user.email);
  await twice.click('details.recovery summary');
  await twice.fill('#recovery-code', codes[0] as string);
  await twice.click('#recovery-submit');
  await twice.waitForSelector('#mfa-error');
  assert.match((await twice.textContent('#mfa-error')) ?? '', /recovery code is not right, or it was used already/);
  await again.close();

  assert.deepEqual(violations, [], violations.map((v) => `${v.page}: ${v.id} ${v.help}`).join('\n'));
});

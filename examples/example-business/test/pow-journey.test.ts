import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { signInThreshold } from '../../../packages/server/src/abuse/proof-of-work.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { PASSWORD, type Stack, startStack } from './helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let stack: Stack | undefined;
let browser: Browser | undefined;

before(
  async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}. Install it (Debian: apt-get install chromium) to run the browser test.`);
    }
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
  },
  { timeout: 2 * WAIT_GUARD_MS },
);

after(async () => {
  await browser?.close();
  await stack?.close();
});

// After enough failures from one address, the sign-in form carries a proof-of-work challenge:
// Chromium's run of the page's own script (same-origin, under the strict CSP) solves it into the
// hidden field, and the right password then signs in; the solution is spent, so it counts once.
test('past the failure threshold, the page script solves the proof of work and the sign-in succeeds', { timeout: 4 * WAIT_GUARD_MS }, async () => {
  assert.ok(stack && browser);
  const { appUrl, issuer, ctx } = stack;
  const user = await stack.newUser();
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_GUARD_MS);
  const scriptErrors: string[] = [];
  page.on('pageerror', (e) => scriptErrors.push(e.message));
  page.on('console', (m) => {
    // A 401 of a wrong password and the favicon's 404 are logged as failed loads: not script errors.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) scriptErrors.push(m.text());
  });

  await page.goto(`${appUrl}/`);
  await page.click('#sign-in');
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/oauth/authorize`));
  assert.equal(await page.locator('#login-form[data-pow]').count(), 0, 'no challenge before any failure');

  for (let i = 0; i < signInThreshold(ctx.scope); i++) {
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', `wrong password ${i}`);
    await page.click('#sign-in');
    await page.waitForSelector('#login-error');
  }
  // The form re-shown after the last failure asks for a proof, and the script finds it.
  await page.waitForSelector('#login-form[data-pow]');
  await page.waitForSelector('#login-form[data-pow-solved]', { state: 'attached' });
  const solution = await page.inputValue('input[name="altcha"]');
  const payload = JSON.parse(Buffer.from(solution, 'base64').toString('utf8')) as { challenge: string; number: number };
  assert.equal(typeof payload.number, 'number');

  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#sign-in');
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL((url) => url.href.startsWith(`${appUrl}/dashboard`));
  assert.ok((await page.textContent('#profile'))?.includes(user.email));
  assert.equal(await ctx.scope.repos.spentChallenges.isSpent(payload.challenge), true, 'the solution was spent');
  assert.deepEqual(scriptErrors, [], 'no script error and no CSP violation');
  await context.close();
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signInThreshold } from '../../../packages/server/src/abuse/proof-of-work.js';
import { DEFAULT_ISSUER_ID } from '../../../packages/server/src/issuers/ids.js';
import { updateIssuer } from '../../../packages/server/src/issuers/service.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { listed, openSignIn, useJourney } from './helpers/journey.js';
import { PASSWORD } from './helpers/stack.js';

const journey = useJourney({ smtp: true });

// After enough failures from one address, the sign-in form carries a proof-of-work challenge:
// Chromium's run of the page's own script (same-origin, under the strict CSP) solves it into the
// hidden field, and the right password then signs in; the solution is spent, so it counts once.
test('past the failure threshold, the page script solves the proof of work and the sign-in succeeds', { timeout: 4 * WAIT_GUARD_MS }, async () => {
  const { stack } = journey;
  const { appUrl, ctx } = stack;
  const user = await stack.newUser();
  const { context, page } = await journey.newPage();
  const scriptErrors: string[] = [];
  page.on('pageerror', (e) => scriptErrors.push(e.message));
  page.on('console', (m) => {
    // A 401 of a wrong password and the favicon's 404 are logged as failed loads: not script errors.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) scriptErrors.push(m.text());
  });

  await openSignIn(stack, page);
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
  await journey.look(page, 'sign-in with a proof of work');
  assert.deepEqual(journey.violations, [], listed(journey.violations));
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

// "Email me a code", enabled for the issuer: the code page (in Arabic, right to left, axe-clean),
// the code from the mail of a real SMTP exchange, and the app's dashboard.
test('"Email me a code" in Chromium: the mailed code signs in to the app', { timeout: 4 * WAIT_GUARD_MS }, async () => {
  const { stack } = journey;
  const { appUrl, ctx } = stack;
  await updateIssuer(ctx.services, DEFAULT_ISSUER_ID, { settings: { emailCode: true } });
  const user = await stack.newUser();
  const { context, page } = await journey.newPage({ locale: 'ar' });
  await openSignIn(stack, page);
  await page.fill('input[name="email"]', user.email);
  await page.click('#email-code');
  await page.waitForSelector('#email-code-form');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.textContent('#page-title'), 'أدخل الرمز');
  await journey.look(page, 'email code page (ar)');
  assert.deepEqual(journey.violations, [], listed(journey.violations));
  const mail = await journey.mailTo(user.email);
  const code = /^(\d{6})$/m.exec(mail.text)?.[1];
  assert.ok(code, `a code in the mail: ${mail.text}`);
  await page.fill('#code', code);
  await page.click('#code-submit');
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL((url) => url.href.startsWith(`${appUrl}/dashboard`));
  assert.ok((await page.textContent('#profile'))?.includes(user.email));
  await context.close();
});

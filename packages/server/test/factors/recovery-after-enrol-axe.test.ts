import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { codeForStep, stepAt } from '../../src/factors/rfc6238.js';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { updateIssuer } from '../../src/issuers/service.js';
import { LOCALES, direction } from '../../src/pages/locales.js';
import { type AxeViolation, axeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/chromium.js';
import { TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import { startLiveServer } from '../helpers/live-server.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

/** The recovery codes shown after setting up an app inside a sign-in, in Chromium: axe-clean in every language, and "continue" goes on. */
describe('the recovery codes page of a sign-in in Chromium', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  before(
    async () => {
      live = await startLiveServer();
      await updateIssuer(live.ctx.services, DEFAULT_ISSUER_ID, { settings: { mfa: 'required' } });
      browser = await launchChromium();
    },
    { timeout: 2 * WAIT_GUARD_MS },
  );
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  it('has no axe-core violation in any of the five languages, and continues to the account page', { timeout: 6 * WAIT_GUARD_MS }, async () => {
    const violations: AxeViolation[] = [];
    for (const locale of LOCALES) {
      const user = await createTestUser(live.ctx);
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_GUARD_MS);
      try {
        await page.goto(`${live.issuer}/account?ui_locales=${locale}`);
        await page.fill('input[name="email"]', user.email);
        await page.fill('input[name="password"]', TEST_PASSWORD);
        await page.click('#login-form button[type="submit"]');
        await page.waitForSelector('#totp-secret');
        const secret = ((await page.textContent('#totp-secret')) ?? '').replace(/\s/g, '');
        await page.fill('#totp-code', codeForStep(secret, stepAt(live.ctx.clock())));
        await page.click('#totp-submit');
        await page.waitForSelector('#recovery-codes');
        assert.equal(await page.locator('#recovery-codes li').count(), 10, locale);
        const root = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
        assert.deepEqual(root, [locale, direction(locale)], locale);
        violations.push(...(await axeViolations(page, `${locale} recovery codes after enrolment`)));
        await page.click('#continue');
        await page.waitForURL((url) => url.pathname.endsWith('/account'));
        // The app's step was used: the next one is a new code.
        live.ctx.clock.advance(30);
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(violations, []);
  });
});

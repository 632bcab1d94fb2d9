import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { LOCALES, direction } from '../../src/pages/locales.js';
import { type AxeViolation, axeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/chromium.js';
import { createOperator } from '../helpers/console.js';
import { TEST_PASSWORD } from '../helpers/harness.js';
import { startLiveServer } from '../helpers/live-server.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

/** The console's closed-accounts page (and the users page that links it) in Chromium: no axe-core violation, in any language. */
describe('console: the closed accounts page in Chromium', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  before(
    async () => {
      live = await startLiveServer();
      const closures = live.ctx.scope.repos.accountClosures;
      await closures.record({ userId: 'u-1', reason: 'privacy', details: 'Too many mails', outcome: 'deleted' });
      await closures.record({ userId: 'u-2', reason: 'other', details: 'أسباب شخصية', outcome: 'anonymised' });
      await closures.record({ userId: 'u-3', reason: 'not_using', details: null, outcome: 'deleted' });
      browser = await launchChromium();
    },
    { timeout: 2 * WAIT_GUARD_MS },
  );
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  it('has no axe-core violation in any of the five languages', { timeout: 4 * WAIT_GUARD_MS }, async () => {
    const operator = await createOperator(live.ctx, 'viewer');
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_GUARD_MS);
    try {
      await page.goto(`${live.issuer}/admin/account-closures`);
      await page.fill('input[name="email"]', operator.email);
      await page.fill('input[name="password"]', TEST_PASSWORD);
      await page.click('#login-form button[type="submit"]');
      await page.waitForURL((url) => url.pathname.endsWith('/admin/account-closures'));
      const violations: AxeViolation[] = [];
      for (const locale of LOCALES) {
        for (const route of ['/admin/account-closures', '/admin/account-closures?reason=privacy', '/admin/account-closures?reason=problems', '/admin/users']) {
          const res = await page.goto(`${live.issuer}${route}${route.includes('?') ? '&' : '?'}ui_locales=${locale}`);
          assert.equal(res?.status(), 200, `${locale} ${route}`);
          const root = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
          assert.deepEqual(root, [locale, direction(locale)], `${locale} ${route}`);
          violations.push(...(await axeViolations(page, `${locale} ${route}`)));
        }
      }
      await page.goto(`${live.issuer}/admin/account-closures`);
      assert.equal(await page.locator('#closures tbody tr').count(), 3, 'the rows were there to check');
      assert.deepEqual(violations, []);
    } finally {
      await context.close();
    }
  });
});

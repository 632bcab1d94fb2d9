import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createProvider } from '../../src/federation/providers.js';
import { LOCALES, direction } from '../../src/pages/locales.js';
import { createOrganization, setRole } from '../../src/services/organizations.js';
import { type AxeViolation, axeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/chromium.js';
import { createOperator } from '../helpers/console.js';
import { TEST_PASSWORD } from '../helpers/harness.js';
import { startLiveServer } from '../helpers/live-server.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

/** The sign-in providers pages and an organization's SSO section in Chromium: no axe-core violation, in any language. */
describe('console: sign-in providers and organization SSO in Chromium', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  before(
    async () => {
      live = await startLiveServer();
      const scope = live.ctx.scope;
      await createProvider(scope, { id: 'google', preset: 'google', clientId: 'c.apps.googleusercontent.com', clientSecret: 's' });
      await createProvider(scope, {
        id: 'corp',
        kind: 'oauth2',
        displayName: 'Corp',
        authorizationEndpoint: 'https://corp.example/authorize',
        tokenEndpoint: 'https://corp.example/token',
        userinfoEndpoint: 'https://corp.example/me',
        clientId: 'corp',
        clientSecret: 's',
        enabled: false,
      });
      await createOrganization(scope, { id: 'eng', name: 'Engineering' });
      await setRole(scope, 'eng', 'developer', []);
      await scope.repos.organizationSso.put({
        organizationId: 'eng',
        providerId: 'google',
        required: true,
        roleClaim: 'groups',
        roleMap: { engineers: ['developer'] },
      });
      browser = await launchChromium();
    },
    { timeout: 2 * WAIT_GUARD_MS },
  );
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  async function signedIn(role: 'admin' | 'viewer', start: string) {
    const operator = await createOperator(live.ctx, role);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_GUARD_MS);
    await page.goto(`${live.issuer}${start}`);
    await page.fill('input[name="email"]', operator.email);
    await page.fill('input[name="password"]', TEST_PASSWORD);
    await page.click('#login-form button[type="submit"]');
    await page.waitForURL((url) => url.pathname.endsWith(start));
    return { context, page };
  }

  it('has no axe-core violation in any of the five languages, for an admin and a viewer, with a refused form too', { timeout: 8 * WAIT_GUARD_MS }, async () => {
    const violations: AxeViolation[] = [];
    for (const role of ['admin', 'viewer'] as const) {
      const { context, page } = await signedIn(role, '/admin/sign-in-providers');
      try {
        for (const locale of LOCALES) {
          for (const route of ['/admin/sign-in-providers', '/admin/sign-in-providers/google', '/admin/sign-in-providers/corp', '/admin/organizations/eng']) {
            const res = await page.goto(`${live.issuer}${route}?ui_locales=${locale}`);
            assert.equal(res?.status(), 200, `${role} ${locale} ${route}`);
            const root = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
            assert.deepEqual(root, [locale, direction(locale)], `${locale} ${route}`);
            violations.push(...(await axeViolations(page, `${role} ${locale} ${route}`)));
          }
        }
        if (role === 'admin') {
          // A refused create: the problem summary and the invalid fields.
          await page.goto(`${live.issuer}/admin/sign-in-providers`);
          await page.fill('#id', 'bad');
          await page.fill('#issuer_url', 'http://idp.example');
          await page.fill('#client_id', 'c');
          await page.fill('#client_secret', 'never-shown');
          await page.click('form[action$="/admin/sign-in-providers"] button[type="submit"]');
          await page.waitForSelector('#form-problem');
          assert.ok(!(await page.content()).includes('never-shown'));
          violations.push(...(await axeViolations(page, 'admin refused create')));
          // A refused role map on the organization's page.
          await page.goto(`${live.issuer}/admin/organizations/eng`);
          await page.fill('#role_map', '{"x": ["nobody"]}');
          await page.click('form[action$="/eng/sso"] button[type="submit"]');
          await page.waitForSelector('#form-problem');
          violations.push(...(await axeViolations(page, 'admin refused sso')));
        } else {
          await page.goto(`${live.issuer}/admin/sign-in-providers/google`);
          assert.equal(await page.locator('form[action*="sign-in-providers"]').count(), 0, 'a viewer has no forms');
        }
        await page.goto(`${live.issuer}/admin/sign-in-providers`);
        assert.equal(await page.locator('#providers tbody tr').count(), 2, 'the rows were there to check');
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(violations, []);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { LOCALES } from '../../src/pages/locales.js';
import { type AxeViolation, axeViolations } from '../helpers/axe.js';
import { TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import { startLiveServer } from '../helpers/live-server.js';
import { pkcePair } from '../helpers/pkce.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';
import { PAYMENTS_API, SEED_SCOPES, configureSeed } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];
const REDIRECT_URI = 'https://example-business.com/api/auth/callback/gatehouse';

/** What the consent page must say for the seed's scopes in each language (custom ones fall back to English). */
const KYC_TEXT: Record<string, string> = {
  en: 'See your KYC status and verification level',
  de: 'Ihren KYC-Status und Ihre Verifizierungsstufe sehen',
  fr: 'Voir votre statut KYC',
  es: 'See your KYC status and verification level',
  ar: 'See your KYC status and verification level',
};
const FOR_API: Record<string, string> = { en: 'For CoinPay API', de: 'Für CoinPay API', fr: 'Pour CoinPay API', es: 'Para CoinPay API', ar: 'لـ CoinPay API' };

// The consent page with the issuer's own scopes and an API's, in Chromium in every language:
// translated descriptions, the required scope marked and locked, the API named; axe-core clean.
// Then, approved, the apps page and the per-scope confirmation describe them the same way.
describe('claims: the consent page, the apps page and its remove-scope confirmation with custom scopes in Chromium', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  let clientId: string;
  let clientSecret: string;

  before(
    async () => {
      if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
      live = await startLiveServer();
      await configureSeed(live.ctx);
      const { client, secret } = await live.ctx.scope.repos.clients.create({
        name: 'CoinPay Wallet',
        redirectUris: [REDIRECT_URI],
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: SEED_SCOPES,
        resources: [PAYMENTS_API],
        isPublic: false,
        firstParty: false,
      });
      clientId = client.id;
      clientSecret = secret as string;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
    },
    { timeout: 2 * WAIT_GUARD_MS },
  );
  after(async () => {
    await browser?.close();
    await live?.close();
  });

  it('describes each scope in the page’s language, on consent, the apps page and the remove confirmation, with no axe-core violation', {
    timeout: 8 * WAIT_GUARD_MS,
  }, async () => {
    const violations: AxeViolation[] = [];
    for (const locale of LOCALES) {
      const user = await createTestUser(live.ctx, `consent-${locale}@example.com`);
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_GUARD_MS);
      const pkce = pkcePair();
      const url = new URL(`${live.issuer}/oauth/authorize`);
      const params = {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'openid kyc membership payments',
        state: `s-${locale}`,
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
        ui_locales: locale,
      };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      await page.goto(url.href);
      await page.fill('input[name="email"]', user.email);
      await page.fill('input[name="password"]', TEST_PASSWORD);
      await page.click('button[type="submit"]');
      await page.waitForSelector('#consent-form');
      assert.equal(((await page.textContent('label[for="scope-kyc"]')) ?? '').trim(), KYC_TEXT[locale], locale);
      assert.equal(((await page.textContent('label[for="scope-payments"]')) ?? '').trim(), 'Make payments on your behalf', locale);
      assert.match((await page.textContent('#consent-form')) ?? '', new RegExp(FOR_API[locale] as string), locale);
      assert.equal(await page.isDisabled('#scope-membership'), true, `${locale}: membership is required`);
      assert.equal(await page.isDisabled('#scope-kyc'), false, `${locale}: kyc is optional`);
      violations.push(...(await axeViolations(page, `${locale} consent with custom scopes`)));

      // Approve, then the same scopes on the apps page and in the per-scope "Remove" confirmation.
      // The app's callback is not reachable from here: answered in the browser, it only has to arrive.
      await page.route(`${REDIRECT_URI}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback' }));
      await page.click('#approve');
      await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
      // The app exchanges its code: the grant it lists is live from then on.
      const code = new URL(page.url()).searchParams.get('code') ?? '';
      const exchanged = await fetch(`${live.issuer}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier }).toString(),
      });
      assert.equal(exchanged.status, 200, `${locale}: ${await exchanged.clone().text()}`);
      await page.goto(`${live.issuer}/account/apps?ui_locales=${locale}`);
      const kycItem = page.locator('ul.scopes li', { hasText: KYC_TEXT[locale] as string });
      assert.equal(await kycItem.count(), 1, `${locale}: kyc listed by its description`);
      assert.equal(await page.locator('ul.scopes li', { hasText: 'Make payments on your behalf' }).count(), 1, `${locale}: payments`);
      violations.push(...(await axeViolations(page, `${locale} apps page with custom scopes`)));
      await kycItem.locator('button.scope-remove').click();
      await page.waitForSelector('#confirm-remove-scope-form');
      assert.match((await page.textContent('#scope-explain')) ?? '', new RegExp(KYC_TEXT[locale] as string), locale);
      violations.push(...(await axeViolations(page, `${locale} remove-scope confirmation for a custom scope`)));
      await context.close();
    }
    assert.deepEqual(violations, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL, type ListedApp, listedApps, tokensFor } from '../helpers/account-pages.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { confidentialClient } from '../helpers/oauth-requests.js';
import { PAYMENTS_API, SEED_SCOPES, configureSeed } from './helpers.js';

/** The seed's `kyc` description per language: its own where defined, else its English one. */
const KYC_TEXT: Record<string, string> = {
  en: 'See your KYC status and verification level',
  de: 'Ihren KYC-Status und Ihre Verifizierungsstufe sehen',
  fr: 'Voir votre statut KYC',
  es: 'See your KYC status and verification level',
};
const PAYMENTS_TEXT = 'Make payments on your behalf';

async function appsPage(browser: HttpBrowser, locale: string): Promise<string> {
  const step = await browser.navigate(`${ACCOUNT_URL}?ui_locales=${locale}`, ISSUER);
  assert.equal(step.page?.status, 200, `${locale}: the apps page`);
  return step.page?.html ?? '';
}

/** The confirmation a scope's "Remove" button leads to (no `confirm`), in `locale`. */
async function confirmation(browser: HttpBrowser, app: ListedApp, scope: string, locale: string): Promise<string> {
  const body = new URLSearchParams({ csrf: app.csrf, grant: app.grant, scope }).toString();
  const res = await browser.request(`${ISSUER}/account/apps/remove-scope?ui_locales=${locale}`, { method: 'POST', headers: FORM_HEADERS, body });
  assert.equal(res.status, 200, `${locale}: the confirmation`);
  return res.text();
}

// The "apps with access" page and its per-scope confirmation describe an issuer's own scopes and
// its APIs' scopes as the consent page does, in the page's language.
describe('claims: the apps page with custom scopes', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let app: ListedApp;

  before(async () => {
    ctx = await createTestContext();
    await configureSeed(ctx);
    const client = await confidentialClient(ctx, { name: 'CoinPay Wallet', scopes: SEED_SCOPES, resources: [PAYMENTS_API] });
    browser = inProcessBrowser(ctx);
    await tokensFor(ctx, client, (await createTestUser(ctx)).email, browser, 'openid kyc membership payments');
    const listed = listedApps(await appsPage(browser, 'en')).find((a) => a.name === 'CoinPay Wallet');
    assert.ok(listed, 'the app is listed');
    app = listed;
  });
  after(() => ctx.close());

  for (const [locale, kyc] of Object.entries(KYC_TEXT)) {
    it(`lists and confirms a custom scope by its description (${locale})`, async () => {
      const html = await appsPage(browser, locale);
      const scopes = listedApps(html).find((a) => a.name === 'CoinPay Wallet')?.scopes ?? [];
      assert.ok(scopes.includes(kyc), `${locale}: ${scopes.join(' | ')}`);
      assert.ok(scopes.includes('See the plan of your organizations'), `${locale}: membership has only English`);
      assert.ok(scopes.includes(PAYMENTS_TEXT), `${locale}: the API scope's description`);
      assert.ok(html.includes(kyc), `${locale}: the remove button's label names it too`);

      const asked = await confirmation(browser, app, 'kyc', locale);
      const explain = /<p id="scope-explain">([^<]*)<\/p>/.exec(asked)?.[1] ?? '';
      assert.ok(explain.includes(kyc), `${locale}: ${explain}`);
      assert.doesNotMatch(asked, /id="scope-ends-access"/, 'kyc is not the last scope');
      const api = /<p id="scope-explain">([^<]*)<\/p>/.exec(await confirmation(browser, app, 'payments', locale))?.[1] ?? '';
      assert.ok(api.includes(PAYMENTS_TEXT), `${locale}: ${api}`);
    });
  }
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import session from 'express-session';
import { type Browser, type Page, chromium } from 'playwright-core';
import { startServer, type RunningServer } from '../../../packages/server/src/server.js';
import { type TestContext, createTestContext, createTestUser } from '../../../packages/server/test/helpers/harness.js';
import { freePort } from '../../../packages/server/test/helpers/live-server.js';
import { issuerAt } from '../../../packages/server/test/helpers/prefix.js';
import { type AxeViolation, axeViolations } from '../../../packages/server/test/helpers/axe.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { createExampleApp } from '../src/app.js';
import { CALLBACK_PATH, loadConfig } from '../src/config.js';

// Passkeys end to end in Chromium, with its virtual authenticator standing in for the phone
// or laptop: sign in with the password, add a passkey on the account page (through the page's
// own script), sign out, then sign in with the passkey alone and land back in the app.
//
// WebAuthn needs a domain, not an IP address, as its RP ID: Gatehouse is served as
// http://localhost:<port> here (a secure context, RP ID `localhost`), and the app on
// http://127.0.0.1:<port>, so the two still keep their cookies apart.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'];
const PASSWORD = 'correct horse battery staple';
const JOURNEY_GUARD_MS = 6 * WAIT_GUARD_MS;

let ctx: TestContext | undefined;
let gatehouse: RunningServer | undefined;
let appServer: http.Server | undefined;
let browser: Browser | undefined;
let issuer = '';
let appUrl = '';

before(
  async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
    const port = await freePort();
    issuer = issuerAt(`http://localhost:${port}`);
    ctx = await createTestContext({ GATEHOUSE_ISSUER: issuer });
    gatehouse = await startServer(ctx.services, { port, host: '127.0.0.1' });
    appServer = http.createServer();
    await new Promise<void>((resolve) => appServer?.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
    const { client, secret } = await ctx.scope.repos.clients.create({
      name: 'Example Business',
      redirectUris: [`${appUrl}${CALLBACK_PATH}`],
      postLogoutRedirectUris: [`${appUrl}/`],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email', 'orders'],
      resources: [`${appUrl}/api`],
      isPublic: false,
      firstParty: false,
    });
    const config = loadConfig({
      GATEHOUSE_ISSUER: issuer,
      GATEHOUSE_CLIENT_ID: client.id,
      GATEHOUSE_CLIENT_SECRET: secret ?? '',
      GATEHOUSE_REDIRECT_URI: `${appUrl}${CALLBACK_PATH}`,
      EXAMPLE_SESSION_SECRET: 'passkey-journey-secret-passkey-journey',
    });
    appServer.on('request', createExampleApp(config, { clock: ctx.clock, sessionStore: new session.MemoryStore(), log: () => {} }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
  },
  { timeout: 2 * WAIT_GUARD_MS },
);

after(async () => {
  await browser?.close();
  appServer?.closeAllConnections();
  await new Promise<void>((resolve) => (appServer ? appServer.close(() => resolve()) : resolve()));
  await gatehouse?.close();
  await ctx?.close().catch(() => {});
});

/** Approves the consent page if the sign-in shows it, then waits for the app's dashboard. */
async function toDashboard(page: Page): Promise<void> {
  const approve = page.locator('button#approve[name="decision"][value="approve"]');
  const dashboard = page.waitForURL((url) => url.origin === appUrl && url.pathname === '/dashboard');
  await Promise.race([approve.waitFor().then(() => approve.click()), dashboard]);
  await dashboard;
}

test('a passkey added on the account page signs in alone', { timeout: JOURNEY_GUARD_MS }, async () => {
  assert.ok(browser && ctx);
  const user = await createTestUser(ctx, `passkey-${Date.now()}@example.com`, PASSWORD);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_GUARD_MS);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    const violations: AxeViolation[] = [];
    // 1. The password, as today.
    await page.goto(`${appUrl}/`);
    await page.click('#sign-in');
    await page.waitForURL((url) => url.href.startsWith(`${issuer}/`));
    assert.equal(await page.getAttribute('#email', 'autocomplete'), 'username webauthn');
    await page.waitForSelector('#passkey-sign-in', { state: 'visible' });
    violations.push(...(await axeViolations(page, 'sign-in with the passkey button')));
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('#login-form button[type="submit"]');
    await toDashboard(page);

    // 2. A passkey, on the account page (the Gatehouse session is fresh: no second sign-in).
    await page.goto(`${issuer}/account/security/passkeys`);
    await page.waitForSelector('#no-passkeys');
    violations.push(...(await axeViolations(page, 'passkeys page, none yet')));
    await page.fill('#passkey-name', 'Journey laptop');
    await page.click('#add-passkey');
    await page.waitForSelector('#notice');
    assert.equal(await page.textContent('#notice'), 'The passkey was added.');
    assert.equal(await page.textContent('#passkey-0 .passkey-name'), 'Journey laptop');
    violations.push(...(await axeViolations(page, 'passkeys page, one passkey')));
    assert.deepEqual(violations, []);

    // 3. Signed out of the app and of Gatehouse.
    await page.goto(`${appUrl}/dashboard`);
    await page.click('#sign-out');
    await page.waitForURL((url) => url.origin === appUrl && url.pathname === '/');
    await page.waitForSelector('#signed-out');

    // 4. The passkey alone, from the email field's autofill: no email, no password. (Chromium's
    // virtual authenticator answers the conditional request at once, as a person picking the
    // passkey from the autofill list would.)
    await page.click('#sign-in');
    await toDashboard(page);
    assert.match((await page.textContent('#profile')) ?? '', new RegExp(user.email.replace(/[.]/g, '\\.')));

    // 5. Again with the "Sign in with a passkey" button, in a browser without conditional UI.
    await page.click('#sign-out');
    await page.waitForSelector('#signed-out');
    await context.addInitScript(() => {
      Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: undefined });
    });
    await page.click('#sign-in');
    await page.waitForURL((url) => url.href.startsWith(`${issuer}/`));
    await page.waitForSelector('#passkey-sign-in', { state: 'visible' });
    await page.click('#passkey-sign-in');
    await toDashboard(page);
    assert.match((await page.textContent('#profile')) ?? '', new RegExp(user.email.replace(/[.]/g, '\\.')));

    // The session Gatehouse made says how: a hardware-bound key, the user verified, two factors.
    const sessions = await ctx.scope.repos.sessions.listForUser(user.id);
    assert.deepEqual(sessions[0]?.amr, ['hwk', 'user', 'mfa']);
    assert.equal(sessions[0]?.acr, 'urn:gatehouse:acr:2fa');
    const [passkey] = await ctx.scope.repos.passkeys.listForUser(user.id);
    assert.ok(passkey?.lastUsedAt, 'the passkey was used');
  } catch (error) {
    throw new Error(`${(error as Error).message}\nat ${context.pages()[0]?.url()}: ${(await context.pages()[0]?.content())?.slice(0, 1500)}`);
  } finally {
    await context.close();
  }
});

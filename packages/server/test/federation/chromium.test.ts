import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import { axeViolations } from '../helpers/axe.js';
import { pkcePair } from '../helpers/pkce.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';
import { type FederationWorld, addGatehouseProvider, federationWorld, upstreamUser } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A person in Chromium: the app's sign-in page, "Continue with Upstream", the upstream's own
// sign-in, and back to the app with a code; and the prove-your-account page. Both pages are
// axe-core clean under the strict CSP.
describe('federation in Chromium', () => {
  let world: FederationWorld;
  let browser: Browser;
  let appId: string;

  before(
    async () => {
      if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium)`);
      world = await federationWorld();
      await addGatehouseProvider(world, 'gh');
      const app = await world.ctx.scope.repos.clients.create({
        name: 'Browser App',
        redirectUris: [`${world.issuer}/test-callback`],
        postLogoutRedirectUris: [],
        grantTypes: ['authorization_code'],
        scopes: ['openid', 'profile', 'email'],
        isPublic: false,
        firstParty: true,
      });
      appId = app.client.id;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: WAIT_GUARD_MS });
    },
    { timeout: 2 * WAIT_GUARD_MS },
  );
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  function authorizeUrl(): string {
    const url = new URL(`${world.issuer}/oauth/authorize`);
    const { challenge } = pkcePair();
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: appId,
      redirect_uri: `${world.issuer}/test-callback`,
      scope: 'openid profile email',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }))
      url.searchParams.set(k, v);
    return url.href;
  }

  it('signs a new person in through the upstream button, back to the app with a code', { timeout: 4 * WAIT_GUARD_MS }, async () => {
    await upstreamUser(world, 'chromium@example.com');
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(authorizeUrl());
      assert.deepEqual(await axeViolations(page, 'sign-in with a provider button'), []);
      await page.getByRole('button', { name: 'Continue with Upstream' }).click();
      await page.waitForURL(/\/upstream\/oauth\/authorize/);
      await page.getByLabel('Email').fill('chromium@example.com');
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(/\/test-callback\?/);
      const url = new URL(page.url());
      assert.ok(url.searchParams.get('code'));
      assert.equal(url.searchParams.get('iss'), world.issuer);
      assert.ok(await world.ctx.scope.repos.users.findByEmail('chromium@example.com'));
    } finally {
      await context.close();
    }
  });

  it('shows an accessible prove-your-account page for an existing account, and links after its password', { timeout: 4 * WAIT_GUARD_MS }, async () => {
    const existing = await createTestUser(world.ctx, 'chromium-existing@example.com');
    await upstreamUser(world, 'chromium-existing@example.com');
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(authorizeUrl());
      await page.getByRole('button', { name: 'Continue with Upstream' }).click();
      await page.waitForURL(/\/upstream\/oauth\/authorize/);
      await page.getByLabel('Email').fill('chromium-existing@example.com');
      await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(/\/upstream\/link$/);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Link your Upstream account');
      assert.deepEqual(await axeViolations(page, 'prove your account'), []);
      await page.getByLabel('Password of the existing account').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Link and sign in' }).click();
      await page.waitForURL(/\/test-callback\?/);
      assert.equal((await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id)).length, 1);
    } finally {
      await context.close();
    }
  });
});

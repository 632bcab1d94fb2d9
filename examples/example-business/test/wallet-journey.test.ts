import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import type { Hex } from 'viem';
import { type AxeViolation, axeViolations } from '../../../packages/server/test/helpers/axe.js';
import { TEST_PASSWORD, createTestUser } from '../../../packages/server/test/helpers/harness.js';
import { startLiveServer } from '../../../packages/server/test/helpers/live-server.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { testAccount } from '../../../packages/server/test/wallets/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-sync'];
const JOURNEY_GUARD_MS = 4 * WAIT_GUARD_MS;
/** The wallet in the "extension": a fixed viem test account whose key never leaves Node. */
const WALLET = testAccount(31);

let live: Awaited<ReturnType<typeof startLiveServer>> | undefined;
let browser: Browser | undefined;

before(
  async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
    live = await startLiveServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
  },
  { timeout: 2 * WAIT_GUARD_MS },
);

after(async () => {
  await browser?.close();
  await live?.close();
});

/**
 * A wallet extension as the page sees it: an EIP-1193 provider at window.ethereum whose
 * request() is answered in Node by the test account (viem signs; the page gets the signature).
 * Every request is noted, so the journey can tell what the page asked for.
 */
async function withWallet(context: BrowserContext, asked: string[]): Promise<void> {
  await context.exposeFunction('__walletRequest', async (method: string, params: unknown[] | undefined): Promise<unknown> => {
    asked.push(method);
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return [WALLET.address];
      case 'eth_chainId':
        return '0x1';
      case 'personal_sign': {
        const [data, address] = params as [Hex, string];
        assert.equal(address.toLowerCase(), WALLET.address.toLowerCase(), 'the page asks the address it linked');
        return WALLET.signMessage({ message: { raw: data } });
      }
      case 'eth_signTypedData_v4': {
        const typed = JSON.parse((params as [string, string])[1]);
        const { EIP712Domain: _, ...types } = typed.types;
        return WALLET.signTypedData({ domain: typed.domain, types, primaryType: typed.primaryType, message: typed.message });
      }
      default:
        throw new Error(`unsupported method ${method}`);
    }
  });
  // A string, not a function: tsx would compile a function with helpers the page does not have.
  await context.addInitScript(`window.ethereum = { request: ({ method, params }) => window.__walletRequest(method, params) };`);
}

async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.waitForURL((u) => u.pathname.endsWith('/account'));
  await page.goto(url);
}

const violations: AxeViolation[] = [];
// Set to a directory to keep a screenshot of each wallet page.
const SCREENSHOTS = process.env.TEST_SCREENSHOTS;

/** The page as it is now: axe-core finds nothing wrong with it (and a screenshot, if asked). */
async function looked(page: Page, name: string): Promise<void> {
  violations.push(...(await axeViolations(page, name)));
  if (SCREENSHOTS) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

test('a person links an Ethereum wallet from the account page with their wallet extension', { timeout: JOURNEY_GUARD_MS }, async () => {
  assert.ok(browser && live);
  const user = await createTestUser(live.ctx, 'wallet-journey@example.com');
  const walletsUrl = `${live.issuer}/account/security/wallets`;
  const asked: string[] = [];
  const context = await browser.newContext();
  await withWallet(context, asked);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_GUARD_MS);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // A refused script or inline code would show here (the CSP allows same-origin files only).
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/.test(message.text())) errors.push(message.text());
  });

  await signIn(page, walletsUrl, user.email);
  assert.equal(((await page.textContent('#page-title')) ?? '').trim(), 'Wallets');
  assert.equal(await page.isVisible('#wallets-none'), true);
  // With an extension the connect button shows and the "needs an extension" line does not.
  await page.waitForSelector('#wallet-connect', { state: 'visible' });
  assert.equal(await page.isVisible('#wallet-needs-extension'), false);
  await looked(page, 'wallets');

  await page.fill('#wallet-label', 'Journey wallet');
  await page.click('#wallet-connect');
  await page.waitForSelector('#wallet-sign', { state: 'visible' });
  assert.equal(((await page.textContent('#page-title')) ?? '').trim(), 'Sign the message');
  assert.match(
    (await page.inputValue('#wallet-message')) ?? '',
    new RegExp(`^${new URL(live.issuer).host} wants you to sign in with your Ethereum account:\\n${WALLET.address}\\n`),
  );
  await looked(page, 'wallet-sign');

  await page.click('#wallet-sign');
  await page.waitForSelector('#notice');
  assert.equal(((await page.textContent('#notice')) ?? '').trim(), 'The wallet is linked to your account.');
  assert.equal(((await page.textContent('.wallet-address')) ?? '').trim(), WALLET.address);
  assert.match((await page.textContent('.wallet strong')) ?? '', /Journey wallet/);
  assert.deepEqual(asked, ['eth_requestAccounts', 'eth_chainId', 'personal_sign']);
  const linked = await live.ctx.scope.repos.wallets.listForUser(user.id);
  assert.deepEqual(
    linked.map((w) => w.address),
    [WALLET.address],
  );
  await looked(page, 'wallet-linked');

  // Unlink, with the sign-in still recent.
  await page.click('.unlink-form button');
  await page.waitForSelector('#notice');
  assert.equal(((await page.textContent('#notice')) ?? '').trim(), 'The wallet is unlinked from your account.');
  assert.equal(await page.isVisible('#wallets-none'), true);
  assert.deepEqual(errors, [], 'no script error and no CSP violation');
  await context.close();
  assert.deepEqual(violations, []);
});

test('without a wallet extension the section says what it needs and links by hand', { timeout: JOURNEY_GUARD_MS }, async () => {
  assert.ok(browser && live);
  const user = await createTestUser(live.ctx, 'wallet-manual@example.com');
  const walletsUrl = `${live.issuer}/account/security/wallets`;
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_GUARD_MS);
  await signIn(page, walletsUrl, user.email);
  assert.equal(await page.isVisible('#wallet-needs-extension'), true);
  assert.equal(await page.isVisible('#wallet-connect'), false);
  await page.click('#wallet-manual summary');
  await page.fill('#wallet-address', WALLET.address);
  await page.click('#wallet-start');
  const message = await page.inputValue('#wallet-message');
  await page.click('#wallet-manual-signature summary');
  await page.fill('#wallet-signature', await WALLET.signMessage({ message }));
  await page.click('#wallet-link');
  await page.waitForSelector('#notice');
  assert.equal(((await page.textContent('#notice')) ?? '').trim(), 'The wallet is linked to your account.');
  assert.deepEqual(
    (await live.ctx.scope.repos.wallets.listForUser(user.id)).map((w) => w.address),
    [WALLET.address],
  );
  await context.close();
});

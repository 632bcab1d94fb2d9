import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Hex } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { codeForStep, stepAt } from '../../../packages/server/src/factors/rfc6238.js';
import { updateIssuer } from '../../../packages/server/src/issuers/service.js';
import { enrolTotp } from '../../../packages/server/test/factors/helpers.js';
import { createTestUser } from '../../../packages/server/test/helpers/harness.js';
import { testAccount } from '../../../packages/server/test/wallets/helpers.js';
import { JOURNEY_GUARD_MS, listed, openSignIn, submitPassword, text, toDashboard, useJourney } from './helpers/journey.js';
import { PASSWORD, sessionOf } from './helpers/stack.js';

// Second factors in Chromium, one Gatehouse and one browser for all of them: an authenticator
// app (TOTP) and recovery codes, passkeys (Chromium's virtual authenticator standing in for the
// laptop), Ethereum wallets (an EIP-1193 provider answered in Node by a viem test account), and
// step-up. WebAuthn needs a domain, not an IP address, as its RP ID: Gatehouse is served as
// http://localhost:<port> (a secure context, RP ID `localhost`), the app on 127.0.0.1.

// People who have set up a second factor are asked for it.
const journey = useJourney({
  gatehouseHost: 'localhost',
  setup: async (stack) => {
    await updateIssuer(stack.ctx.services, 'default', { settings: { mfa: 'optional' } });
  },
});

/** The code the authenticator app shows now on the test's clock (the server's clock too). */
function codeNow(secret: string): string {
  return codeForStep(secret, stepAt(journey.stack.ctx.clock()));
}

/** From the app's home page through the password to the page after it. */
async function passwordSignIn(page: Page, email: string): Promise<void> {
  await openSignIn(journey.stack, page);
  await submitPassword(page, email, PASSWORD);
}

/** Signs in at an account page (`url`, under the issuer) with the password, and opens it again. */
async function accountSignIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await submitPassword(page, email, PASSWORD);
  await page.waitForURL((u) => u.pathname.endsWith('/account'));
  await page.goto(url);
}

/** Chromium's virtual authenticator in this page's browser: a platform one that verifies the user. */
async function withAuthenticator(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return cdp;
}

/** The claims of the ID token the app holds for `sub` (the app keeps its tokens server-side). */
async function appIdToken(sub: string): Promise<{ acr?: string; amr?: string[] }> {
  const session = await sessionOf(journey.stack.store, sub);
  const idToken = session.tokens?.idToken;
  assert.ok(idToken, 'the app holds an ID token');
  return JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

describe('authenticator app (TOTP) and recovery codes', () => {
  test('enrol an authenticator app on the account page, sign in with password and code, use a recovery code once', { timeout: JOURNEY_GUARD_MS }, async () => {
    const { stack } = journey;
    const { issuer } = stack;
    const user = await stack.newUser();

    // 1. The account security page: sign in, set up the app with the QR code's key, keep recovery codes.
    const setup = await journey.newPage();
    const page = setup.page;
    await page.goto(`${issuer}/account/security/totp`);
    await submitPassword(page, user.email, PASSWORD);
    await page.waitForURL((url) => url.pathname.endsWith('/account'));
    await page.goto(`${issuer}/account/security/totp`);
    assert.match(await text(page, '#totp-status'), /No authenticator app/);
    await page.click('#totp-add');
    await page.waitForSelector('#totp-qr svg');
    await journey.look(page, 'totp-enrol');
    const secret = (await text(page, '#totp-secret')).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await page.fill('#totp-code', codeNow(secret));
    await page.click('#totp-confirm');
    await page.waitForSelector('#notice');
    assert.match(await text(page, '#totp-status'), /An authenticator app is set up/);
    await page.click('#recovery-generate');
    await page.waitForSelector('#recovery-codes');
    const codes = (await page.locator('#recovery-codes code').allTextContents()).map((c) => c.trim());
    assert.equal(codes.length, 10);
    await setup.context.close();
    // The step the enrolment used is spent; the next sign-in uses the next one.
    stack.ctx.clock.advance(30);

    // 2. Sign in to the app: the password, then the code; the app's ID token says both.
    const withCode = await journey.newPage();
    await passwordSignIn(withCode.page, user.email);
    await withCode.page.waitForSelector('#totp-form');
    await journey.look(withCode.page, 'mfa-step');
    await withCode.page.fill('#totp-code', codeNow(secret));
    await withCode.page.click('#totp-submit');
    await toDashboard(stack, withCode.page);
    const token = await appIdToken(user.id);
    assert.equal(token.acr, 'urn:gatehouse:acr:2fa');
    assert.deepEqual(token.amr, ['pwd', 'otp', 'mfa']);
    await withCode.context.close();

    // 3. The phone is lost: a recovery code instead, once.
    const recovery = await journey.newPage();
    await passwordSignIn(recovery.page, user.email);
    await recovery.page.click('details.recovery summary');
    await recovery.page.fill('#recovery-code', codes[0] as string);
    await recovery.page.click('#recovery-submit');
    await toDashboard(stack, recovery.page);
    await recovery.context.close();

    const again = await journey.newPage();
    await passwordSignIn(again.page, user.email);
    await again.page.click('details.recovery summary');
    await again.page.fill('#recovery-code', codes[0] as string);
    await again.page.click('#recovery-submit');
    await again.page.waitForSelector('#mfa-error');
    assert.match(await text(again.page, '#mfa-error'), /recovery code is not right, or it was used already/);
    await again.context.close();

    assert.deepEqual(journey.violations, [], listed(journey.violations));
  });
});

describe('authenticator app set up inside the sign-in', () => {
  test('an app that requires a second factor: a user without one sets up an authenticator app inside the sign-in, keeps the ten recovery codes shown once, and arrives with two factors', {
    timeout: JOURNEY_GUARD_MS,
  }, async () => {
    const { stack } = journey;
    const { clients } = stack.ctx.scope.repos;
    // The app asks for a second factor at every sign-in (the console's "Ask for a second factor").
    assert.ok(await clients.update(stack.clientId, { requireMfa: true }));
    try {
      const user = await stack.newUser();
      const { context, page } = await journey.newPage();
      await passwordSignIn(page, user.email);
      await page.waitForSelector('#totp-qr svg');
      assert.equal(await text(page, '#page-title'), 'Set up two-step verification');
      await journey.look(page, 'mfa enrolment in the sign-in');
      const secret = (await text(page, '#totp-secret')).replace(/\s/g, '');
      assert.match(secret, /^[A-Z2-7]{32}$/);
      // A wrong code keeps the page (and the same key) with an error.
      await page.fill('#totp-code', codeNow(secret) === '000000' ? '111111' : '000000');
      await page.click('#totp-submit');
      await page.waitForSelector('#mfa-error');
      assert.equal((await text(page, '#totp-secret')).replace(/\s/g, ''), secret);
      await page.fill('#totp-code', codeNow(secret));
      await page.click('#totp-submit');
      // The app is set up: its recovery codes, this once, before the sign-in goes on.
      await page.waitForSelector('#recovery-codes');
      assert.equal(await text(page, '#page-title'), 'Save your recovery codes');
      const codes = (await page.locator('#recovery-codes code').allTextContents()).map((c) => c.trim());
      assert.equal(codes.length, 10);
      assert.equal(new Set(codes).size, 10);
      for (const code of codes) assert.match(code, /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
      await journey.look(page, 'recovery codes after enrolment in the sign-in');
      await page.click('#continue');
      await toDashboard(stack, page);
      assert.deepEqual(await shownAssurance(page), ['With two factors.', 'pwd otp mfa']);
      const token = await appIdToken(user.id);
      assert.deepEqual([token.acr, token.amr], ['urn:gatehouse:acr:2fa', ['pwd', 'otp', 'mfa']]);
      // Signed out (the app then holds no session of this user: the next ID token is the recovery's).
      await page.click('#sign-out');
      await page.waitForSelector('#signed-out');
      await context.close();

      // The phone is lost the next day: another browser, the password and one of those codes.
      const recovery = await journey.newPage();
      await passwordSignIn(recovery.page, user.email);
      await recovery.page.waitForSelector('#totp-form');
      await recovery.page.click('details.recovery summary');
      await recovery.page.fill('#recovery-code', codes[3] as string);
      await recovery.page.click('#recovery-submit');
      await toDashboard(stack, recovery.page);
      assert.deepEqual(await shownAssurance(recovery.page), ['With two factors.', 'pwd otp mfa']);
      const recovered = await appIdToken(user.id);
      assert.deepEqual([recovered.acr, recovered.amr], ['urn:gatehouse:acr:2fa', ['pwd', 'otp', 'mfa']]);
      await recovery.context.close();

      // The same code again is used up: the step says so and stays.
      const again = await journey.newPage();
      await passwordSignIn(again.page, user.email);
      await again.page.waitForSelector('#totp-form');
      await again.page.click('details.recovery summary');
      await again.page.fill('#recovery-code', codes[3] as string);
      await again.page.click('#recovery-submit');
      await again.page.waitForSelector('#mfa-error');
      assert.match(await text(again.page, '#mfa-error'), /recovery code is not right, or it was used already/);
      assert.notEqual(new URL(again.page.url()).origin, stack.appUrl, 'still at Gatehouse');
      await journey.look(again.page, 'mfa step, a recovery code used twice');
      await again.context.close();
      assert.deepEqual(journey.violations, [], listed(journey.violations));
    } finally {
      await clients.update(stack.clientId, { requireMfa: false });
    }
  });
});

describe('passkeys', () => {
  test('a passkey added on the account page signs in alone', { timeout: JOURNEY_GUARD_MS }, async () => {
    const { stack } = journey;
    const { issuer, appUrl, ctx } = stack;
    const user = await createTestUser(ctx, `passkey-${Date.now()}@example.com`, PASSWORD);
    const { context, page } = await journey.newPage();
    try {
      await withAuthenticator(context, page);

      // 1. The password, as today.
      await openSignIn(stack, page);
      assert.equal(await page.getAttribute('#email', 'autocomplete'), 'username webauthn');
      await page.waitForSelector('#passkey-sign-in', { state: 'visible' });
      await journey.look(page, 'sign-in with the passkey button');
      await submitPassword(page, user.email, PASSWORD);
      await toDashboard(stack, page);

      // 2. A passkey, on the account page (the Gatehouse session is fresh: no second sign-in).
      await page.goto(`${issuer}/account/security/passkeys`);
      await page.waitForSelector('#no-passkeys');
      await journey.look(page, 'passkeys page, none yet');
      await page.fill('#passkey-name', 'Journey laptop');
      await page.click('#add-passkey');
      await page.waitForSelector('#notice');
      assert.equal(await page.textContent('#notice'), 'The passkey was added.');
      assert.equal(await page.textContent('#passkey-0 .passkey-name'), 'Journey laptop');
      await journey.look(page, 'passkeys page, one passkey');
      assert.deepEqual(journey.violations, [], listed(journey.violations));

      // 3. Signed out of the app and of Gatehouse.
      await page.goto(`${appUrl}/dashboard`);
      await page.click('#sign-out');
      await page.waitForURL((url) => url.origin === appUrl && url.pathname === '/');
      await page.waitForSelector('#signed-out');

      // 4. The passkey alone, from the email field's autofill: no email, no password. (Chromium's
      // virtual authenticator answers the conditional request at once, as a person picking the
      // passkey from the autofill list would.)
      await page.click('#sign-in');
      await toDashboard(stack, page);
      assert.ok((await text(page, '#profile')).includes(user.email));

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
      await toDashboard(stack, page);
      assert.ok((await text(page, '#profile')).includes(user.email));

      // The session Gatehouse made says how: a hardware-bound key, the user verified, two
      // factors; and so does the ID token the app got.
      const sessions = await ctx.scope.repos.sessions.listForUser(user.id);
      assert.deepEqual(sessions[0]?.amr, ['hwk', 'user', 'mfa']);
      assert.equal(sessions[0]?.acr, 'urn:gatehouse:acr:2fa');
      const token = await appIdToken(user.id);
      assert.deepEqual([token.acr, token.amr], ['urn:gatehouse:acr:2fa', ['hwk', 'user', 'mfa']]);
      const [passkey] = await ctx.scope.repos.passkeys.listForUser(user.id);
      assert.ok(passkey?.lastUsedAt, 'the passkey was used');
    } catch (error) {
      throw new Error(`${(error as Error).message}\nat ${page.url()}: ${(await page.content()).slice(0, 1500)}`);
    } finally {
      await context.close();
    }
  });
});

/** The wallet in the "extension": a fixed viem test account whose key never leaves Node. */
const WALLET = testAccount(31);
/** Another one, for the second factor (an address is linked to one account at a time). */
const FACTOR_WALLET = testAccount(32);

/**
 * A wallet extension as the page sees it: an EIP-1193 provider at window.ethereum whose
 * request() is answered in Node by the test account (viem signs; the page gets the signature).
 * Every request is noted, so the journey can tell what the page asked for.
 */
async function withWallet(context: BrowserContext, asked: string[], wallet: PrivateKeyAccount = WALLET): Promise<void> {
  await context.exposeFunction('__walletRequest', async (method: string, params: unknown[] | undefined): Promise<unknown> => {
    asked.push(method);
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return [wallet.address];
      case 'eth_chainId':
        return '0x1';
      case 'personal_sign': {
        const [data, address] = params as [Hex, string];
        assert.equal(address.toLowerCase(), wallet.address.toLowerCase(), 'the page asks the address it linked');
        return wallet.signMessage({ message: { raw: data } });
      }
      case 'eth_signTypedData_v4': {
        const typed = JSON.parse((params as [string, string])[1]);
        const { EIP712Domain: _, ...types } = typed.types;
        return wallet.signTypedData({ domain: typed.domain, types, primaryType: typed.primaryType, message: typed.message });
      }
      default:
        throw new Error(`unsupported method ${method}`);
    }
  });
  // A string, not a function: tsx would compile a function with helpers the page does not have.
  await context.addInitScript(`window.ethereum = { request: ({ method, params }) => window.__walletRequest(method, params) };`);
}

/** Script errors and CSP refusals on the page (the CSP allows same-origin files only). */
function scriptErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/.test(message.text())) errors.push(message.text());
  });
  return errors;
}

const walletLook = (page: Page, name: string): Promise<void> => journey.look(page, name, name);

describe('Ethereum wallets', () => {
  test('a person links an Ethereum wallet from the account page with their wallet extension', { timeout: JOURNEY_GUARD_MS }, async () => {
    const { stack } = journey;
    const user = await createTestUser(stack.ctx, 'wallet-journey@example.com');
    const walletsUrl = `${stack.issuer}/account/security/wallets`;
    const asked: string[] = [];
    const { context, page } = await journey.newPage();
    await withWallet(context, asked);
    const errors = scriptErrors(page);

    await accountSignIn(page, walletsUrl, user.email);
    assert.equal(await text(page, '#page-title'), 'Wallets');
    assert.equal(await page.isVisible('#wallets-none'), true);
    // With an extension the connect button shows and the "needs an extension" line does not.
    await page.waitForSelector('#wallet-connect', { state: 'visible' });
    assert.equal(await page.isVisible('#wallet-needs-extension'), false);
    await walletLook(page, 'wallets');

    await page.fill('#wallet-label', 'Journey wallet');
    await page.click('#wallet-connect');
    await page.waitForSelector('#wallet-sign', { state: 'visible' });
    assert.equal(await text(page, '#page-title'), 'Sign the message');
    assert.match(
      await page.inputValue('#wallet-message'),
      new RegExp(`^${new URL(stack.issuer).host} wants you to sign in with your Ethereum account:\\n${WALLET.address}\\n`),
    );
    await walletLook(page, 'wallet-sign');

    await page.click('#wallet-sign');
    await page.waitForSelector('#notice');
    assert.equal(await text(page, '#notice'), 'The wallet is linked to your account.');
    assert.equal(await text(page, '.wallet-address'), WALLET.address);
    assert.match(await text(page, '.wallet strong'), /Journey wallet/);
    assert.deepEqual(asked, ['eth_requestAccounts', 'eth_chainId', 'personal_sign']);
    const linked = await stack.ctx.scope.repos.wallets.listForUser(user.id);
    assert.deepEqual(
      linked.map((w) => w.address),
      [WALLET.address],
    );
    await walletLook(page, 'wallet-linked');

    // Unlink, with the sign-in still recent.
    await page.click('.unlink-form button');
    await page.waitForSelector('#notice');
    assert.equal(await text(page, '#notice'), 'The wallet is unlinked from your account.');
    assert.equal(await page.isVisible('#wallets-none'), true);
    assert.deepEqual(errors, [], 'no script error and no CSP violation');
    await context.close();
    assert.deepEqual(journey.violations, [], listed(journey.violations));
  });

  test('without a wallet extension the section says what it needs and links by hand', { timeout: JOURNEY_GUARD_MS }, async () => {
    const { stack } = journey;
    const user = await createTestUser(stack.ctx, 'wallet-manual@example.com');
    const { context, page } = await journey.newPage();
    await accountSignIn(page, `${stack.issuer}/account/security/wallets`, user.email);
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
    assert.equal(await text(page, '#notice'), 'The wallet is linked to your account.');
    assert.deepEqual(
      (await stack.ctx.scope.repos.wallets.listForUser(user.id)).map((w) => w.address),
      [WALLET.address],
    );
    await context.close();
  });
});

/** The dashboard's "How you signed in": the level and the methods, as the app read them from the ID token. */
async function shownAssurance(page: Page): Promise<[string, string]> {
  return [await text(page, '#assurance-level'), await text(page, '#assurance-methods')];
}

/** Links the extension's wallet to the signed-in account from the wallets page. */
async function linkWallet(page: Page): Promise<void> {
  await page.waitForSelector('#wallet-connect', { state: 'visible' });
  await page.click('#wallet-connect');
  await page.waitForSelector('#wallet-sign', { state: 'visible' });
  await page.click('#wallet-sign');
  await page.waitForSelector('#notice');
  assert.equal(await text(page, '#notice'), 'The wallet is linked to your account.');
}

describe('second factors at sign-in', () => {
  test('a linked wallet is the second factor: after the password the page has the extension sign the typed challenge', {
    timeout: JOURNEY_GUARD_MS,
  }, async () => {
    const { stack } = journey;
    const user = await stack.newUser();
    const asked: string[] = [];
    const linking = await journey.newPage();
    await withWallet(linking.context, asked, FACTOR_WALLET);
    await accountSignIn(linking.page, `${stack.issuer}/account/security/wallets`, user.email);
    await linkWallet(linking.page);
    await linking.context.close();

    // Another browser with the same extension: the password, then the wallet instead of a code.
    asked.length = 0;
    const { context, page } = await journey.newPage();
    await withWallet(context, asked, FACTOR_WALLET);
    const errors = scriptErrors(page);
    await passwordSignIn(page, user.email);
    await page.waitForSelector('#wallet-factor-form');
    await page.waitForSelector('#wallet-factor-sign', { state: 'visible' });
    assert.equal(await page.isVisible('#wallet-factor-extension'), false, 'with an extension, no "needs an extension" line');
    await journey.look(page, 'mfa step, wallet');
    await page.click('#wallet-factor-sign');
    await toDashboard(stack, page);
    assert.ok(asked.includes('eth_signTypedData_v4'), `the page asked for a typed-data signature: ${asked.join(', ')}`);
    assert.deepEqual(await shownAssurance(page), ['With two factors.', 'pwd pop mfa']);
    const token = await appIdToken(user.id);
    assert.deepEqual([token.acr, token.amr], ['urn:gatehouse:acr:2fa', ['pwd', 'pop', 'mfa']]);
    assert.deepEqual(errors, [], 'no script error and no CSP violation');
    await context.close();
    assert.deepEqual(journey.violations, [], listed(journey.violations));
  });

  test('a passkey is the second factor after the password', { timeout: JOURNEY_GUARD_MS }, async () => {
    const { stack } = journey;
    const user = await stack.newUser();
    const { context, page } = await journey.newPage();
    try {
      // This browser's sign-in form offers no passkey autofill: the virtual authenticator would
      // answer it at once, and this journey is about the password first.
      await context.addInitScript(() => {
        Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: undefined });
      });
      await withAuthenticator(context, page);
      await accountSignIn(page, `${stack.issuer}/account/security/passkeys`, user.email);
      await page.fill('#passkey-name', 'Second factor key');
      await page.click('#add-passkey');
      await page.waitForSelector('#notice');
      assert.equal(await page.textContent('#notice'), 'The passkey was added.');
      // Gatehouse's session gone (the authenticator keeps the passkey): sign in to the app again.
      await context.clearCookies();

      await passwordSignIn(page, user.email);
      await page.waitForSelector('#passkey-factor-form');
      await journey.look(page, 'mfa step, passkey');
      await page.click('#use-passkey');
      await toDashboard(stack, page);
      assert.deepEqual(await shownAssurance(page), ['With two factors.', 'pwd hwk user mfa']);
      const token = await appIdToken(user.id);
      assert.deepEqual([token.acr, token.amr], ['urn:gatehouse:acr:2fa', ['pwd', 'hwk', 'user', 'mfa']]);
      assert.deepEqual(journey.violations, [], listed(journey.violations));
    } catch (error) {
      throw new Error(`${(error as Error).message}\nat ${page.url()}: ${(await page.content()).slice(0, 1500)}`);
    } finally {
      await context.close();
    }
  });
});

describe('step-up', () => {
  test('the app asks for a second factor with acr_values: Gatehouse asks for it although the session exists, and the ID token says so', {
    timeout: JOURNEY_GUARD_MS,
  }, async () => {
    const { stack } = journey;
    // Every policy off: a sign-in asks the password only, unless the app steps up.
    await updateIssuer(stack.ctx.services, 'default', { settings: { mfa: 'off' } });
    try {
      const user = await stack.newUser();
      const secret = await enrolTotp(stack.ctx, user.id);
      const { context, page } = await journey.newPage();
      await passwordSignIn(page, user.email);
      await toDashboard(stack, page);
      assert.deepEqual(await shownAssurance(page), ['With one factor.', 'pwd']);
      assert.equal((await appIdToken(user.id)).acr, 'urn:gatehouse:acr:1fa');

      // "Confirm with your second factor": the app sends acr_values; Gatehouse has the session
      // (no password asked) and asks for the code.
      const authorize = page.waitForRequest((request) => request.url().startsWith(`${stack.issuer}/oauth/authorize`));
      await page.click('#step-up');
      assert.equal(new URL((await authorize).url()).searchParams.get('acr_values'), 'urn:gatehouse:acr:2fa');
      await page.waitForSelector('#totp-form');
      assert.equal(await page.locator('#login-form').count(), 0, 'no password asked: the session exists');
      await journey.look(page, 'step-up, the code');
      await page.fill('#totp-code', codeNow(secret));
      await page.click('#totp-submit');
      await toDashboard(stack, page);
      assert.deepEqual(await shownAssurance(page), ['With two factors.', 'pwd otp mfa']);
      assert.equal(await page.locator('#step-up').count(), 0);
      const token = await appIdToken(user.id);
      assert.deepEqual([token.acr, token.amr], ['urn:gatehouse:acr:2fa', ['pwd', 'otp', 'mfa']]);
      // The same Gatehouse session, raised: not a second one.
      const sessions = await stack.ctx.scope.repos.sessions.listForUser(user.id);
      assert.deepEqual(
        sessions.map((s) => s.acr),
        ['urn:gatehouse:acr:2fa'],
      );
      await context.close();
      assert.deepEqual(journey.violations, [], listed(journey.violations));
    } finally {
      await updateIssuer(stack.ctx.services, 'default', { settings: { mfa: 'optional' } });
    }
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../src/session.js';
import type { User } from '../../../packages/server/src/store/repos/users.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { at, openSignIn, submitPassword, useJourney } from './helpers/journey.js';
import { PASSWORD } from './helpers/stack.js';

// A test of several pages, each waited for by Playwright: a guard, so several page guards' worth.
const TEST_GUARD_MS = 3 * WAIT_GUARD_MS;

// Short access tokens, so moving the shared clock 45 s makes the app refresh before its next call;
// mail to an SMTP server of the test's own, for "Forgot your password?".
const journey = useJourney({ env: { GATEHOUSE_ACCESS_TOKEN_TTL: '60' }, smtp: true });

/** A fresh browser context signed in to the app through Gatehouse's hosted pages, consent given. */
async function signedInPage(): Promise<{ context: BrowserContext; page: Page; user: User }> {
  const { stack } = journey;
  const user = await stack.newUser();
  const { context, page } = await journey.newPage();
  await openSignIn(stack, page);
  await submitPassword(page, user.email, PASSWORD);
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL(at(stack.appUrl, '/dashboard'));
  return { context, page, user };
}

test('sign in with Gatehouse in Chromium, see the dashboard and orders, sign out', { timeout: TEST_GUARD_MS }, async () => {
  const { stack } = journey;
  const { appUrl } = stack;
  const { context, page, user } = await signedInPage();
  const profile = await page.textContent('#profile');
  assert.match(profile ?? '', /Ada Lovelace/);
  assert.ok(profile?.includes(user.email));
  assert.ok(profile?.includes(user.id));

  await page.click('#load-orders');
  await page.waitForSelector('#orders li');
  assert.equal(await page.locator('#orders li').count(), 3);

  // The browser holds only the app's session id: HttpOnly, SameSite=Lax, no tokens.
  const cookies = await context.cookies(appUrl);
  const appCookies = cookies.filter((c) => c.domain === 'localhost');
  assert.deepEqual(
    appCookies.map((c) => c.name),
    [SESSION_COOKIE],
  );
  assert.equal(appCookies[0]?.httpOnly, true);
  assert.equal(appCookies[0]?.sameSite, 'Lax');

  await page.click('#sign-out');
  await page.waitForURL((url) => url.origin === appUrl && url.pathname === '/');
  await page.waitForSelector('#signed-out');
  assert.equal(await page.isVisible('#sign-in'), true);

  await page.goto(`${appUrl}/dashboard`);
  assert.equal(new URL(page.url()).pathname, '/', 'the dashboard sends a signed-out visitor home');
  assert.equal(await page.isVisible('#sign-in'), true);
  await context.close();
});

test("the user removes the app's access on Gatehouse's account page: the app's session ends and it must ask again", { timeout: TEST_GUARD_MS }, async () => {
  const { stack } = journey;
  const { appUrl, issuer } = stack;
  const { context, page } = await signedInPage();

  // Gatehouse's session from that sign-in opens the account page without another password.
  await page.goto(`${issuer}/account/apps`);
  assert.equal(await page.textContent('#page-title'), 'Apps with access to your account');
  const app = page.locator('li.app', { hasText: 'Example Business' });
  assert.equal(await app.count(), 1);
  assert.match((await app.locator('ul.scopes').textContent()) ?? '', /email/i);

  await app.getByRole('button', { name: 'Remove access for Example Business' }).click();
  // Gatehouse asks first, naming the app.
  await page.waitForSelector('#confirm-remove-form');
  assert.equal(await page.textContent('#page-title'), 'Remove access for Example Business?');
  await page.click('#confirm-remove');
  await page.waitForSelector('#notice');
  assert.match((await page.textContent('#notice')) ?? '', /Access removed/);
  assert.equal(await page.isVisible('#no-apps'), true);
  assert.equal(await page.locator('li.app').count(), 0);

  // The app's next refresh fails, so its own session ends.
  stack.ctx.clock.advance(45);
  const orders = await context.request.get(`${appUrl}/api/me/orders`);
  assert.equal(orders.status(), 401);
  assert.equal(((await orders.json()) as { error: string }).error, 'session_ended');

  // Signing in to the app again asks for consent again: the remembered one is gone.
  await page.goto(`${appUrl}/`);
  await page.click('#sign-in');
  await page.waitForSelector('button#approve');
  await context.close();
});

test('a user who forgot their password gets a link by mail, sets a new one and continues signing in to the app with it', {
  timeout: TEST_GUARD_MS,
}, async () => {
  const { stack, sink } = journey;
  const { appUrl, issuer } = stack;
  const user = await stack.newUser();
  const NEW_PASSWORD = 'a new passphrase from the mail';
  const { context, page } = await journey.newPage();

  await openSignIn(stack, page);
  await page.click('#forgot-password');
  await page.waitForURL(at(issuer, '/password/forgot'));
  await page.fill('input[name="email"]', user.email);
  await page.click('#send-link');
  assert.match((await page.textContent('#reset-requested')) ?? '', /If an account exists for that address/);

  // Sent after the answer, in Gatehouse's background: done once that has settled.
  await stack.ctx.services.background.settled();
  const mail = sink.received.find((m) => m.to.includes(user.email));
  const link = mail?.text.split(/\s+/).find((word) => word.startsWith(`${issuer}/password/reset?token=`));
  assert.ok(link, `a reset link in the mail: ${mail?.text ?? '(no mail)'}`);

  await page.goto(link);
  await page.fill('input[name="password"]', NEW_PASSWORD);
  await page.fill('input[name="confirm"]', NEW_PASSWORD);
  await page.click('#set-password');
  assert.match((await page.textContent('#password-changed')) ?? '', /Your password has been changed/);

  // Back to the sign-in the reset was asked from: the old password no longer works there, the
  // new one does, and the app gets its code.
  assert.match((await page.textContent('#continue-sign-in')) ?? '', /Continue to Example Business/);
  await page.click('#continue-sign-in');
  await page.waitForURL(at(issuer, '/interaction/'));
  await submitPassword(page, user.email, PASSWORD);
  assert.match((await page.textContent('.error')) ?? '', /The email or password is incorrect/);
  await submitPassword(page, user.email, NEW_PASSWORD);
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL(at(appUrl, '/dashboard'));
  await context.close();
});

test("the user changes their password on Gatehouse's account page: the old one stops signing in, the new one works", { timeout: TEST_GUARD_MS }, async () => {
  const { stack } = journey;
  const { issuer } = stack;
  const NEW_PASSWORD = 'changed on the account page';
  const { context, page, user } = await signedInPage();

  await page.goto(`${issuer}/account/apps`);
  await page.click('#change-password-link');
  await page.waitForURL(at(issuer, '/account/password'));
  await page.fill('#current', 'not my password');
  await page.fill('#password', NEW_PASSWORD);
  await page.fill('#confirm', NEW_PASSWORD);
  await page.click('#change-password');
  assert.equal(await page.textContent('#form-error'), 'The current password is not right.');

  await page.fill('#current', PASSWORD);
  await page.fill('#password', NEW_PASSWORD);
  await page.fill('#confirm', NEW_PASSWORD);
  await page.click('#change-password');
  await page.waitForSelector('#notice');
  assert.match((await page.textContent('#notice')) ?? '', /Your password has been changed/);
  await context.close();

  // A fresh browser: the old password is refused, the new one signs in to the app.
  const fresh = await journey.newPage();
  await openSignIn(stack, fresh.page);
  await submitPassword(fresh.page, user.email, PASSWORD);
  assert.match((await fresh.page.textContent('.error')) ?? '', /The email or password is incorrect/);
  await submitPassword(fresh.page, user.email, NEW_PASSWORD);
  await fresh.page.waitForURL(at(stack.appUrl, '/dashboard'));
  await fresh.context.close();
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { issueSetupLink } from '../../../packages/server/src/console/setup.js';
import { createTestUser } from '../../../packages/server/test/helpers/harness.js';
import { CALLBACK_PATH } from '../src/config.js';
import { Browser, signIn } from './helpers/browser.js';
import { JOURNEY_GUARD_MS, listed, submitPassword, text, useJourney } from './helpers/journey.js';

const OWNER = { name: 'Olga Owner', email: 'olga@example.com', password: 'owner password 1234' };
const USER_PASSWORD = 'correct horse battery staple';

// The app is not registered up front: the owner registers it in the console, and the journey
// deploys it with the .env block the console shows.
const journey = useJourney({ register: false });

/** The example app configured from a `.env` block as the console shows it: what a developer pastes. */
function deployExample(envBlock: string): void {
  const env = Object.fromEntries(
    envBlock
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  journey.stack.deploy(env);
}

/**
 * A fresh browser (no cookies) signs a user (a new one if none is given) in to the example app
 * and gives consent; returns where it ended. It checks the app's deployed .env against
 * Gatehouse (the secret works, or is refused), so it goes over HTTP with a cookie jar per host
 * (helpers/browser.ts): Chromium through the same pages is browser.test.ts's.
 */
async function signInToExample(given?: { email: string }): Promise<{ path: string; title: string }> {
  const { stack } = journey;
  const user = given ?? (await createTestUser(stack.ctx, `shopper-${Math.random().toString(36).slice(2, 8)}@example.com`, USER_PASSWORD));
  const page = await signIn(new Browser(), stack.appUrl, user.email, USER_PASSWORD);
  assert.equal(new URL(page.url).origin, stack.appUrl, 'back at the app');
  return { path: new URL(page.url).pathname, title: /<h1[^>]*>([^<]*)<\/h1>/.exec(page.html)?.[1] ?? '' };
}

/** The console page as it is now: axe-core finds nothing wrong with it (and a screenshot, if asked). */
const looked = (page: Page, name: string): Promise<void> => journey.look(page, name, `console-${name}`);

test('an owner sets up the console, registers the example app there alone and runs it', { timeout: JOURNEY_GUARD_MS }, async () => {
  const { stack } = journey;
  const { issuer, appUrl } = stack;
  const { context, page } = await journey.newPage();

  // The one-time setup link `gatehouse serve` prints while there is no owner.
  const link = await issueSetupLink(stack.ctx.scope);
  assert.ok(link);
  await page.goto(link);
  await looked(page, 'setup');
  await page.fill('#name', OWNER.name);
  await page.fill('#email', OWNER.email);
  await page.fill('#password', OWNER.password);
  await page.fill('#confirm', OWNER.password);
  await page.click('main form button[type="submit"]');
  assert.equal(await text(page, '#page-title'), 'Your owner account is ready');
  await page.goto(link);
  assert.match(await text(page, 'main'), /already has an owner/, 'the link works once');

  // Sign in through Gatehouse's own hosted sign-in.
  await page.goto(`${issuer}/admin`);
  await page.fill('input[name="email"]', OWNER.email);
  await page.fill('input[name="password"]', OWNER.password);
  await page.click('#login-form button[type="submit"]');
  await page.waitForURL(`${issuer}/admin`).catch(async (error) => {
    throw new Error(`after the console sign-in: ${page.url()} ${await text(page, 'main')}`, { cause: error });
  });
  assert.equal(await text(page, '#page-title'), 'Overview');
  await looked(page, 'overview-empty');

  // Applications → New application → web, with the example app's callback and API.
  await page.click('nav a[href$="/admin/applications"]');
  await page.click('a[href$="/admin/applications/new"]');
  await looked(page, 'new-app-type');
  await page.check('#type-web');
  await page.click('main form button[type="submit"]');
  await looked(page, 'new-app-form');
  await page.fill('#client_name', 'Example Business');
  await page.fill('#description', 'Payments for small businesses');
  await page.fill('#redirect_uris', `${appUrl}${CALLBACK_PATH}`);
  await page.fill('#post_logout_redirect_uris', `${appUrl}/`);
  await page.fill('#scope', 'openid profile email orders offline_access');
  await page.fill('#resources', `${appUrl}/api`);
  await page.click('main form button[type="submit"]');
  assert.equal(await text(page, '#page-title'), 'Example Business is registered');
  const secret = await text(page, '#client-secret');
  assert.match(secret, /^ghs_/);
  await looked(page, 'app-credentials');
  const credentialsUrl = page.url();
  const env = await text(page, '#env');
  assert.ok(env.includes(`GATEHOUSE_CLIENT_SECRET=${secret}`));

  // The secret is shown once: the same page again, and the app's page, never show it.
  await page.goto(credentialsUrl);
  assert.match(await text(page, 'main'), /cannot be shown again/);
  assert.ok(!(await page.content()).includes(secret));

  // The developer pastes the .env block into the app: people sign in to it.
  deployExample(env);
  assert.equal((await signInToExample()).path, '/dashboard');

  // Edit its redirect URIs: a second one is added and saved.
  await page.click('a.button.primary[href*="/admin/applications/"]');
  await looked(page, 'app-detail');
  const redirects = await page.inputValue('#redirect_uris');
  await page.fill('#redirect_uris', `${redirects}\n${appUrl}/other-callback`);
  await page.click('main form button.primary[type="submit"]');
  assert.match(await text(page, 'main'), /Saved\./);
  assert.equal(await page.inputValue('#redirect_uris'), `${appUrl}${CALLBACK_PATH}\n${appUrl}/other-callback`);

  // Rotate the secret with an hour of overlap: the old one keeps working, then stops.
  await page.selectOption('#overlap', '3600');
  await page.click('form[action$="/secret"] button[type="submit"]');
  assert.equal(await text(page, '#page-title'), 'The new client secret');
  const rotated = await text(page, '#client-secret');
  assert.notEqual(rotated, secret);
  const newEnv = await text(page, '#env');
  assert.equal((await signInToExample()).path, '/dashboard', 'the old secret works during the overlap');
  stack.ctx.clock.advance(3601);
  const refused = await signInToExample();
  assert.equal(refused.title, 'Sign-in failed', 'the old secret stops working after the overlap');
  deployExample(newEnv);
  assert.equal((await signInToExample()).path, '/dashboard', 'the new secret works');

  // Try sign-in from the app's page: the try address is added, then a real code flow as the app.
  await page.goBack();
  await page.goto(page.url().replace(/\/credentials.*$/, ''));
  await page.click('#try button[type="submit"]');
  await page.fill('#try-secret', rotated);
  await looked(page, 'app-try');
  await page.click('#try button[type="submit"]');
  const tester = await createTestUser(stack.ctx, 'tester@example.com', USER_PASSWORD);
  await page.fill('input[name="email"]', tester.email);
  await page.fill('input[name="password"]', USER_PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL((url) => url.pathname.endsWith('/admin/try/callback'));
  assert.equal(await text(page, '#try-subject'), tester.id);
  await looked(page, 'try-result');

  // Users → New user, with a password: the person signs in to the example app with it.
  await page.click('nav a[href$="/admin/users"]');
  await looked(page, 'users');
  await page.click(`a.button.primary[href$="/admin/users/new"]`);
  await page.fill('#email', 'grace@example.com');
  await page.fill('#name', 'Grace Hopper');
  await page.check('#how-password');
  await page.fill('#password', USER_PASSWORD);
  await looked(page, 'new-user');
  await page.click('main form[action$="/admin/users/new"] button[type="submit"]');
  assert.equal(await text(page, '#page-title'), 'grace@example.com');
  await looked(page, 'user');
  assert.equal((await signInToExample({ email: 'grace@example.com' })).path, '/dashboard', 'the user made in the console signs in');

  // Organizations: one with a role, and the user made above as a member holding it.
  await page.click('nav a[href$="/admin/organizations"]');
  await page.fill('#name', 'Acme Shop');
  await page.fill('#id', 'acme-shop');
  await looked(page, 'organizations');
  await page.click('form[action$="/admin/organizations/new"] button[type="submit"]');
  assert.equal(await text(page, '#page-title'), 'Acme Shop');
  await page.fill('#role-name', 'billing');
  await page.fill('#role-permissions', 'read:invoices\nwrite:refunds');
  await page.click('form[action$="/roles/add"] button[type="submit"]');
  await page.fill('#user', 'grace@example.com');
  await page.check('#new-billing');
  await page.click('form[action$="/members/add"] button[type="submit"]');
  await looked(page, 'organization');
  const grace = await stack.ctx.scope.repos.users.findByEmail('grace@example.com');
  assert.ok(grace);
  const member = await stack.ctx.scope.repos.memberships.find('acme-shop', grace.id);
  assert.deepEqual(member?.roles, ['billing'], 'the user holds the role in the organization');
  await page.click('nav a[href$="/admin/keys"]');
  await looked(page, 'keys');
  await page.click('nav a[href$="/admin/settings"]');
  await looked(page, 'security-settings');

  // The overview counts the sign-ins: the owner's and the four at the example app.
  await page.click('nav a[href$="/admin"]');
  const signIns = Number(await text(page, '.tiles li:first-child .figure'));
  assert.ok(signIns >= 7, `the overview counts ${signIns} sign-ins`);
  await looked(page, 'overview');
  // The audit log: the sign-ins, the app's registration and its rotation, each with its actor.
  await page.click('nav a[href$="/admin/audit-log"]');
  const logged = await page.locator('#audit-events tbody td:nth-child(2) code').allTextContents();
  for (const type of [
    'session.started',
    'client.created',
    'client.updated',
    'client.secret_rotated',
    'user.created',
    'admin.signed_in',
    'admin.setup_completed',
  ]) {
    assert.ok(logged.includes(type), `the audit log shows ${type}`);
  }
  await looked(page, 'audit-log');
  await page.selectOption('#type', 'client.secret_rotated');
  await page.click('main form[method="get"] button[type="submit"]');
  assert.deepEqual([...new Set(await page.locator('#audit-events tbody td:nth-child(2) code').allTextContents())], ['client.secret_rotated']);
  await page.click('nav a[href$="/admin/branding"]');
  await looked(page, 'branding');
  await page.click('nav a[href$="/admin/issuers"]');
  await looked(page, 'issuers');
  await page.click('nav a[href$="/admin/applications"]');
  await looked(page, 'apps');
  await page.click('nav a[href$="/admin/token-inspector"]');
  await looked(page, 'inspector');

  await context.close();
  assert.deepEqual(journey.violations, [], `axe-core finds nothing wrong with any console page:\n${listed(journey.violations)}`);
});

test('the console fits a phone and reads in every other language, Arabic right to left', {
  timeout: JOURNEY_GUARD_MS,
}, async () => {
  const { issuer } = journey.stack;
  const { context, page } = await journey.newPage({ preloadAxe: true });
  await page.goto(`${issuer}/admin`);
  await submitPassword(page, OWNER.email, OWNER.password);
  await page.waitForURL(`${issuer}/admin`);

  // On a phone's width every page still fits: nothing wider than the screen but what scrolls inside.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const route of ['/admin', '/admin/applications', '/admin/users', '/admin/audit-log', '/admin/organizations/acme-shop']) {
    await page.goto(`${issuer}${route}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${route} is ${overflow}px wider than a phone's screen`);
    if (route === '/admin/audit-log') await looked(page, 'phone-audit-log');
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // The console's pages in every other language of the hosted pages (Arabic right to left).
  const routes = [
    '/admin',
    '/admin/applications',
    '/admin/users',
    '/admin/organizations/acme-shop',
    '/admin/audit-log',
    '/admin/branding',
    '/admin/settings',
    '/admin/keys',
    '/admin/issuers',
  ];
  for (const locale of ['de', 'fr', 'es', 'ar']) {
    for (const route of routes) {
      await page.goto(`${issuer}${route}?ui_locales=${locale}`);
      const root = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
      assert.deepEqual(root, [locale, locale === 'ar' ? 'rtl' : 'ltr'], `${locale} ${route}`);
      await journey.look(page, `${locale} ${route}`);
    }
  }

  await context.close();
  assert.deepEqual(journey.violations, [], `axe-core finds nothing wrong with any console page:\n${listed(journey.violations)}`);
});

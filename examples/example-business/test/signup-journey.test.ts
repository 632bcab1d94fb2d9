import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEFAULT_ISSUER_ID } from '../../../packages/server/src/issuers/ids.js';
import { updateIssuer } from '../../../packages/server/src/issuers/service.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { at, listed, useJourney } from './helpers/journey.js';

// A journey of several pages, each waited for by Playwright: a guard, not a measure.
const TEST_GUARD_MS = 4 * WAIT_GUARD_MS;
const PASSWORD = 'my brand new passphrase';

// Real SMTP to a sink of the test's own: the verification mail is read from there.
const journey = useJourney({
  smtp: true,
  setup: async (stack) => {
    await updateIssuer(stack.ctx.services, DEFAULT_ISSUER_ID, { settings: { signUp: 'open' } });
  },
});
const check = (page: Page, label: string): Promise<void> => journey.look(page, label);
const mailTo = journey.mailTo;

/** From the app's "Sign in" through "Create an account" to the "check your email" page. */
async function signUpFromTheApp(page: Page, email: string, name: string): Promise<void> {
  const { stack } = journey;
  await page.goto(`${stack.appUrl}/`);
  await page.click('#sign-in');
  await page.waitForURL(at(stack.issuer, '/oauth/authorize'));
  await page.click('#create-account-link');
  await page.waitForURL(at(stack.issuer, '/interaction/'));
  await check(page, 'sign-up form');
  await page.fill('#email', email);
  await page.fill('#name', name);
  await page.fill('#password', PASSWORD);
  await page.click('#create-account');
  await page.waitForSelector('#code-form');
  assert.equal(await page.textContent('#page-title'), 'Check your email');
  await check(page, 'check your email');
}

/** Consent for the third-party app, then its dashboard with the new account's profile. */
async function approveAndSeeDashboard(page: Page, email: string, name: string): Promise<void> {
  const { stack } = journey;
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL(at(stack.appUrl, '/dashboard'));
  const profile = (await page.textContent('#profile')) ?? '';
  assert.ok(profile.includes(name), profile);
  assert.ok(profile.includes(email), profile);
}

test('sign up from the example app, follow the mailed link, and arrive in the app signed in', { timeout: TEST_GUARD_MS }, async () => {
  const { stack } = journey;
  const email = 'linda.link@example.com';
  const { context, page } = await journey.newPage();
  await signUpFromTheApp(page, email, 'Linda Link');
  const mail = await mailTo(email);
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(`${stack.issuer}/interaction/`) && word.includes('/signup/verify?token='));
  assert.ok(link, `a verification link in: ${mail.text}`);
  // Opened in another browser first, the page asks for the sign-up's password; nothing is spent.
  const other = await journey.newPage();
  await other.page.goto(link);
  assert.equal(await other.page.isVisible('#password'), true);
  await check(other.page, 'confirm the link elsewhere');
  await other.context.close();
  await page.goto(link);
  assert.equal(await page.isVisible('#password'), false);
  assert.equal(await page.textContent('#page-title'), 'Confirm your email');
  await check(page, 'confirm the link');
  await page.click('#confirm');
  await approveAndSeeDashboard(page, email, 'Linda Link');
  await context.close();
});

test('sign up from the example app, type the mailed code, arrive in the app, then change the email on the account page', {
  timeout: TEST_GUARD_MS,
}, async () => {
  const { stack } = journey;
  const email = 'carl.code@example.com';
  const { context, page } = await journey.newPage();
  await signUpFromTheApp(page, email, 'Carl Code');
  const code = /: (\d{6})\r?\n/.exec((await mailTo(email)).text)?.[1];
  assert.ok(code, 'a six-digit code in the mail');
  // A wrong code first: the page says so and keeps the form.
  await page.fill('#code', code === '000000' ? '111111' : '000000');
  await page.click('#verify');
  assert.match((await page.textContent('#form-error')) ?? '', /That code is not right/);
  await check(page, 'wrong code');
  await page.fill('#code', code);
  await page.click('#verify');
  await approveAndSeeDashboard(page, email, 'Carl Code');

  // Signed in moments ago: the account's email can change, once the new address is verified.
  await page.goto(`${stack.issuer}/account/email`);
  assert.equal(await page.textContent('#page-title'), 'Change your email');
  await check(page, 'change your email');
  await page.fill('#email', 'carl.new@example.com');
  await page.click('#send-code');
  await page.waitForSelector('#code-form');
  const newCode = /: (\d{6})\r?\n/.exec((await mailTo('carl.new@example.com')).text)?.[1];
  assert.ok(newCode);
  await page.fill('#code', newCode);
  await page.click('#verify');
  assert.equal(await page.textContent('#page-title'), 'Email changed');
  await check(page, 'email changed');
  assert.match((await mailTo(email)).subject, /was changed/);
  await context.close();
});

test('the sign-up form in the other four languages, Arabic right to left', {
  timeout: TEST_GUARD_MS,
}, async () => {
  const { stack } = journey;
  const { context, page } = await journey.newPage({ preloadAxe: true });
  for (const [locale, title] of [
    ['de', 'Konto erstellen'],
    ['fr', 'Créer un compte'],
    ['es', 'Crear una cuenta'],
    ['ar', 'إنشاء حساب'],
  ] as const) {
    await page.goto(`${stack.issuer}/signup?ui_locales=${locale}`);
    assert.equal(await page.textContent('#page-title'), title);
    assert.equal(await page.getAttribute('html', 'lang'), locale);
    // The language stays through a refused post: the error is in it too.
    await page.click('#create-account');
    assert.notEqual(((await page.textContent('#form-error')) ?? '').trim(), '');
    await check(page, `sign-up form (${locale})`);
  }
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await context.close();
});

test('every sign-up page passes axe-core', () => {
  assert.deepEqual(journey.violations, [], listed(journey.violations));
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { DEFAULT_ISSUER_ID } from '../../../packages/server/src/issuers/ids.js';
import { updateIssuer } from '../../../packages/server/src/issuers/service.js';
import { type AxeViolation, axeViolations } from '../../../packages/server/test/helpers/axe.js';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../../../packages/server/test/helpers/smtp-sink.js';
import { WAIT_GUARD_MS } from '../../../packages/server/test/helpers/wait.js';
import { type Stack, startStack } from './helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-sync'];
// A journey of several pages, each waited for by Playwright: a guard, not a measure.
const TEST_GUARD_MS = 4 * WAIT_GUARD_MS;
const PASSWORD = 'my brand new passphrase';

let stack: Stack | undefined;
let browser: Browser | undefined;
let sink: SmtpSink | undefined;
const violations: AxeViolation[] = [];

before(
  async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
    // Real SMTP to a sink of the test's own: the verification mail is read from there.
    sink = await startSmtpSink();
    stack = await startStack({ GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
    await updateIssuer(stack.ctx.services, DEFAULT_ISSUER_ID, { settings: { signUp: 'open' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
  },
  { timeout: 2 * WAIT_GUARD_MS },
);

after(async () => {
  await browser?.close();
  await stack?.close();
  await sink?.close();
});

const at =
  (base: string, path: string) =>
  (url: URL): boolean =>
    url.href.startsWith(`${base}${path}`);

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  assert.ok(browser);
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_GUARD_MS);
  return { context, page };
}

async function check(page: Page, label: string): Promise<void> {
  violations.push(...(await axeViolations(page, label)));
}

/** The newest mail to `email`, once Gatehouse's background sends have settled. */
async function mailTo(email: string): Promise<ReceivedMail> {
  assert.ok(stack && sink);
  await stack.ctx.services.background.settled();
  const mail = sink.received.filter((m) => m.to.includes(email)).at(-1);
  assert.ok(mail, `a mail to ${email}`);
  return mail;
}

/** From the app's "Sign in" through "Create an account" to the "check your email" page. */
async function signUpFromTheApp(page: Page, email: string, name: string): Promise<void> {
  assert.ok(stack);
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
  assert.ok(stack);
  await page.click('button#approve[name="decision"][value="approve"]');
  await page.waitForURL(at(stack.appUrl, '/dashboard'));
  const profile = (await page.textContent('#profile')) ?? '';
  assert.ok(profile.includes(name), profile);
  assert.ok(profile.includes(email), profile);
}

test('sign up from the example app, follow the mailed link, and arrive in the app signed in', { timeout: TEST_GUARD_MS }, async () => {
  assert.ok(stack);
  const email = 'linda.link@example.com';
  const { context, page } = await newPage();
  await signUpFromTheApp(page, email, 'Linda Link');
  const mail = await mailTo(email);
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(`${stack?.issuer}/interaction/`) && word.includes('/signup/verify?token='));
  assert.ok(link, `a verification link in: ${mail.text}`);
  // Opened in another browser first, the page asks for the sign-up's password; nothing is spent.
  const other = await newPage();
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
  assert.ok(stack);
  const email = 'carl.code@example.com';
  const { context, page } = await newPage();
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

test('the sign-up form in the other four languages, Arabic right to left', { timeout: TEST_GUARD_MS }, async () => {
  assert.ok(stack);
  const { context, page } = await newPage();
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
  assert.deepEqual(violations, []);
});

import assert from 'node:assert/strict';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { updateIssuer } from '../../src/issuers/service.js';
import type { SignUpPolicy } from '../../src/issuers/settings.js';
import { FORM_HEADERS, isLoginPage } from '../helpers/authorize-pages.js';
import { authorizeUrl } from '../helpers/flow.js';
import type { TestContext } from '../helpers/harness.js';
import { type HttpBrowser, type Page, formIn } from '../helpers/http-browser.js';
import { type MailTestContext, mailTestContext, mailsTo } from '../helpers/password-pages.js';
import { ISSUER, TEST_PREFIX } from '../helpers/prefix.js';
import type { ReceivedMail } from '../helpers/smtp-sink.js';

export const SIGNUP_PASSWORD = 'a sign-up password';

/** A mail test context whose default issuer's sign-up policy is `policy`. */
export async function signUpContext(policy: SignUpPolicy = 'open', env: Record<string, string> = {}): Promise<MailTestContext> {
  const mail = await mailTestContext({ env });
  await setSignUp(mail.ctx, policy);
  return mail;
}

export async function setSignUp(ctx: TestContext, policy: SignUpPolicy): Promise<void> {
  await updateIssuer(ctx.services, DEFAULT_ISSUER_ID, { settings: { signUp: policy } });
}

/** Opens an app's sign-in in `browser` and expects the login page. */
export async function openAppSignIn(browser: HttpBrowser, clientId: string, extra: Record<string, string> = {}): Promise<{ page: Page; verifier: string }> {
  const request = authorizeUrl(clientId, extra);
  const step = await browser.navigate(request.url, ISSUER);
  assert.ok(isLoginPage(step.page), `the login page, got ${step.leftTo ?? step.page?.html.slice(0, 300)}`);
  return { page: step.page, verifier: request.verifier };
}

/** The "Create an account" link of a login page, if it has one. */
export function signUpLinkIn(html: string): string | undefined {
  const href = /<a href="([^"]*)" id="create-account-link"/.exec(html)?.[1];
  return href === undefined ? undefined : new URL(href.replace(/&amp;/g, '&'), ISSUER).href;
}

/** Follows the login page's "Create an account" link to the form. */
export async function openSignUpForm(browser: HttpBrowser, login: Page): Promise<Page> {
  const href = signUpLinkIn(login.html);
  assert.ok(href, 'the login page links to the sign-up');
  const res = await browser.request(href);
  const page = { url: href, status: res.status, html: await res.text() };
  assert.equal(page.status, 200, page.html.slice(0, 400));
  assert.match(page.html, /id="signup-form"/);
  return page;
}

/** Posts a page's form whose action contains `actionPart` with its hidden fields and `fields`; the raw answer. */
export async function post(browser: HttpBrowser, page: Page, actionPart: string, fields: Record<string, string>): Promise<Response> {
  const form = formIn(page.html, actionPart);
  const body = new URLSearchParams(form.hidden);
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return browser.request(new URL(form.action, page.url).href, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
}

export async function asPage(res: Response, url: string): Promise<Page> {
  return { url, status: res.status, html: await res.text() };
}

/** Fills in and posts the sign-up form; the answer as a page (the "check your email" page when accepted). */
export async function submitSignUp(browser: HttpBrowser, form: Page, fields: { email: string; name?: string; password?: string }): Promise<Page> {
  const res = await post(browser, form, '/signup', { email: fields.email, name: fields.name ?? 'Grace Hopper', password: fields.password ?? SIGNUP_PASSWORD });
  return asPage(res, form.url);
}

/** The newest mail to `email`, once every mail asked for has been handed to the sink. */
export async function lastMailTo(mail: MailTestContext, email: string): Promise<ReceivedMail> {
  const mails = await mailsTo(mail.ctx, mail.sink, email);
  const last = mails.at(-1);
  assert.ok(last, `a mail to ${email}`);
  return last;
}

export function codeIn(mail: ReceivedMail): string {
  const code = /: (\d{6})\r?\n/.exec(mail.text)?.[1];
  assert.ok(code, `a six-digit code in: ${mail.text}`);
  return code;
}

/** The verification link of a mail: the issuer, a fixed path, a 256-bit token and the mail's language. */
export function verifyLinkIn(mail: ReceivedMail): string {
  const link = /https?:\/\/[^\s]+\/(?:interaction\/[A-Za-z0-9_-]+\/signup|account\/email)\/verify\?token=[A-Za-z0-9_-]{43}&ui_locales=[a-z]{2}(?=\s)/.exec(
    mail.text,
  )?.[0];
  assert.ok(link, `a verification link in: ${mail.text}`);
  assert.ok(link.startsWith(`${ISSUER}/`), `on the issuer: ${link}`);
  return link;
}

/** Opens a mailed link and presses its confirm button (with `fields`, a password when asked); the answer to the post. */
export async function followLink(browser: HttpBrowser, link: string, fields: Record<string, string> = {}): Promise<Response> {
  const res = await browser.request(link);
  const page = await asPage(res, link);
  assert.equal(page.status, 200, page.html.slice(0, 400));
  assert.match(page.html, /id="confirm-form"/);
  return post(browser, page, '/verify', fields);
}

/** Types a code into a "check your email" page. */
export function enterCode(browser: HttpBrowser, check: Page, code: string): Promise<Response> {
  return post(browser, check, '/code', { code });
}

/** The text of a page's error line. */
export function pageError(html: string): string | undefined {
  return /<p class="error" role="alert" id="form-error"[^>]*>([^<]*)<\/p>/.exec(html)?.[1]?.replace(/&#39;/g, "'");
}

/** The uid of a sign-up page's sign-in. */
export function signUpUid(html: string): string {
  const uid = new RegExp(`action="${TEST_PREFIX}/interaction/([A-Za-z0-9_-]+)/signup`).exec(html)?.[1];
  assert.ok(uid, `a sign-up form: ${html.slice(0, 300)}`);
  return uid;
}

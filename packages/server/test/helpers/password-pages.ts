import assert from 'node:assert/strict';
import { FORM_HEADERS } from './authorize-pages.js';
import { ISSUER } from './flow.js';
import { HttpBrowser, formIn } from './http-browser.js';
import type { Logger } from '../../src/log.js';
import { type TestContext, createTestContext } from './harness.js';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from './smtp-sink.js';

export const FORGOT_URL = `${ISSUER}/password/forgot`;
export const RESET_URL = `${ISSUER}/password/reset`;
export const SENT_TEXT = 'If an account exists for that address, we have sent a link to reset its password. It expires in 30 minutes.';
export const CHANGED_TEXT = 'Your password has been changed. Sign in with your new password.';

/** A test context whose mail goes to an SMTP server of its own; `close` stops both. */
export interface MailTestContext {
  ctx: TestContext;
  sink: SmtpSink;
  close(): Promise<void>;
}

/** Mail on (sent to a fresh in-process SMTP server), client addresses from X-Forwarded-For. */
export async function mailTestContext(options: { from?: string; logger?: Logger; env?: Record<string, string> } = {}): Promise<MailTestContext> {
  const sink = await startSmtpSink();
  const env = { GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: options.from ?? 'no-reply@example.com', GATEHOUSE_TRUST_PROXY: 'true', ...options.env };
  const ctx = await createTestContext(env, options.logger ? { logger: options.logger } : {});
  return {
    ctx,
    sink,
    close: async () => {
      await ctx.close();
      await sink.close();
    },
  };
}

/**
 * An in-process browser at client address `ip` (the context trusts X-Forwarded-For), so each
 * test has a throttle counter of its own.
 */
export function browserAt(ctx: TestContext, ip: string): HttpBrowser {
  return new HttpBrowser((input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-for', ip);
    return Promise.resolve(ctx.app.request(input, { ...init, headers }));
  });
}

/** Opens the form at `url` and posts it with its hidden fields, `fields` overriding them. */
export async function submitForm(browser: HttpBrowser, url: string, actionPart: string, fields: Record<string, string | undefined>): Promise<Response> {
  const page = await browser.request(url);
  const html = await page.text();
  assert.equal(page.status, 200, html.slice(0, 400));
  const form = formIn(html, actionPart);
  const body = new URLSearchParams(form.hidden);
  for (const [name, value] of Object.entries(fields)) {
    body.delete(name);
    if (value !== undefined) body.set(name, value);
  }
  return browser.request(new URL(form.action, url).href, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
}

/** "Forgot your password?" for `email`, through the form; the answer to the post. */
export function askForLink(browser: HttpBrowser, email: string, fields: Record<string, string | undefined> = {}): Promise<Response> {
  return submitForm(browser, FORGOT_URL, '/password/forgot', { email, ...fields });
}

/** Opens a mailed link and posts the new password (twice, unless `confirm` differs). */
export function setNewPassword(browser: HttpBrowser, link: string, password: string, fields: Record<string, string | undefined> = {}): Promise<Response> {
  return submitForm(browser, link, '/password/reset', { password, confirm: password, ...fields });
}

/** Mails the sink received for `email`, once every mail already asked for has been handed over. */
export async function mailsTo(ctx: TestContext, sink: SmtpSink, email: string): Promise<ReceivedMail[]> {
  await ctx.services.background.settled();
  return sink.received.filter((m) => m.to.includes(email));
}

/** The reset link in a mail: the issuer's fixed path, a 256-bit token and the mail's language. */
export function linkIn(mail: ReceivedMail | undefined): string {
  assert.ok(mail, 'a mail was received');
  const link = new RegExp(`${escapeRegExp(RESET_URL)}\\?token=[A-Za-z0-9_-]{43}&ui_locales=[a-z]{2}(?=\\s)`).exec(mail.text)?.[0];
  assert.ok(link, `a reset link in: ${mail.text}`);
  return link;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The one link mailed to `email`. */
export async function onlyLinkTo(ctx: TestContext, sink: SmtpSink, email: string): Promise<string> {
  const mails = await mailsTo(ctx, sink, email);
  assert.equal(mails.length, 1, `one mail to ${email}`);
  return linkIn(mails[0]);
}

/** The text of the page's error line, if it has one. */
export function formError(html: string): string | undefined {
  return /<p class="error" role="alert" id="form-error">([^<]*)<\/p>/.exec(html)?.[1]?.replace(/&#39;/g, "'");
}

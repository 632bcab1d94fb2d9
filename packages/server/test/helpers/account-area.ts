import assert from 'node:assert/strict';
import { FORM_HEADERS } from './authorize-pages.js';
import { HttpBrowser } from './http-browser.js';
import { TEST_PASSWORD, type TestContext } from './harness.js';
import { TEST_PREFIX } from './prefix.js';

export const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** An in-process browser at address `ip` (the context must trust X-Forwarded-For) sending `userAgent`. */
export function deviceBrowser(ctx: TestContext, ip: string, userAgent = CHROME_WINDOWS): HttpBrowser {
  return new HttpBrowser((input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-for', ip);
    headers.set('user-agent', userAgent);
    return Promise.resolve(ctx.app.request(input, { ...init, headers }));
  });
}

/** Whether a page is the hosted sign-in form, of any issuer of the deployment. */
export function isSignInForm(html: string): boolean {
  return /action="[^"]*\/interaction\/[A-Za-z0-9_-]+\/login"/.test(html);
}

/** A page's HTML, expecting 200 and not the sign-in form. */
export async function accountPage(browser: HttpBrowser, url: string): Promise<string> {
  const res = await browser.request(url);
  const html = await res.text();
  assert.equal(res.status, 200, html.slice(0, 400));
  assert.equal(isSignInForm(html), false, `a signed-in page at ${url}, not the sign-in form`);
  return html;
}

/** The account pages' CSRF token on a page. */
export function csrfOf(html: string): string {
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(csrf, 'the page has a form with a CSRF token');
  return csrf;
}

/** Posts `fields` to `url` from `browser`; undefined drops a field. */
export function post(browser: HttpBrowser, url: string, fields: Record<string, string | undefined>): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.set(name, value);
  return browser.request(url, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
}

/** Submits a sign-in form page (the account sign-in) with `email` and `password`. */
export function submitSignIn(browser: HttpBrowser, issuer: string, html: string, email: string, password = TEST_PASSWORD): Promise<Response> {
  const action = new RegExp(`action="((?:${TEST_PREFIX})?[^"]*/interaction/[^"]+/login)"`).exec(html)?.[1];
  assert.ok(action, `a sign-in form: ${html.slice(0, 300)}`);
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
  return post(browser, new URL(action, issuer).href, { csrf, email, password });
}

/** Opens `url` signed out (the sign-in form), signs in and returns where it was sent. */
export async function signInAt(browser: HttpBrowser, issuer: string, url: string, email: string, password = TEST_PASSWORD): Promise<Response> {
  const res = await browser.request(url);
  const html = await res.text();
  assert.ok(isSignInForm(html), `the sign-in form at ${url}: ${html.slice(0, 300)}`);
  return submitSignIn(browser, issuer, html, email, password);
}

/** Decodes the few entities the pages' text uses. */
export function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

import assert from 'node:assert/strict';
import { ISSUER, tokenRequest } from './flow.js';
import { type HttpBrowser, type Page, formIn } from './http-browser.js';
import { TEST_REDIRECT_URI, type TestContext } from './harness.js';
import { TEST_PREFIX } from './prefix.js';

/** A hosted page's form action, under the test prefix: `action="/idp/interaction/<uid>/<step>"`. */
const interactionAction = (step: string): RegExp => new RegExp(`action="${TEST_PREFIX}/interaction/[^"]+/${step}"`);

/**
 * Assertions and steps shared by the authorization endpoint and hosted page tests. They check
 * what a browser and a client see: pages, redirects, cookies, never internal state.
 */

/** An error page for people: HTML with the given status and never a Location header. */
export async function assertErrorPage(res: Response, status = 400): Promise<string> {
  const html = await res.text();
  assert.equal(res.headers.get('location'), null, `an error page never redirects (went to ${res.headers.get('location')})`);
  assert.equal(res.status, status, html.slice(0, 300));
  assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/);
  assert.match(html, /<p role="alert">/);
  return html;
}

export interface CallbackExpectation {
  state: string | undefined;
  redirectUri?: string;
  issuer?: string;
}

/** The query of a redirect back to the client: the exact redirect URI, iss (RFC 9207) and state. */
export function callbackParams(location: string | null | undefined, expect: CallbackExpectation): URLSearchParams {
  assert.ok(location, 'expected a redirect back to the client');
  const url = new URL(location);
  assert.equal(`${url.origin}${url.pathname}`, expect.redirectUri ?? TEST_REDIRECT_URI);
  assert.equal(url.hash, '', 'the response goes in the query, not the fragment');
  assert.equal(url.searchParams.get('iss'), expect.issuer ?? ISSUER);
  assert.equal(url.searchParams.get('state'), expect.state ?? null);
  return url.searchParams;
}

/** An error sent back to the client by a 303 redirect, with a description, state and iss. */
export function assertErrorRedirect(res: Response, error: string, expect: CallbackExpectation): URLSearchParams {
  assert.equal(res.status, 303, `expected a redirect, got ${res.status}`);
  return assertErrorCallback(res.headers.get('location'), error, expect);
}

export function assertErrorCallback(location: string | null | undefined, error: string, expect: CallbackExpectation): URLSearchParams {
  const params = callbackParams(location, expect);
  assert.equal(params.get('error'), error, params.get('error_description') ?? '');
  assert.ok(params.get('error_description'), 'error_description is set');
  assert.equal(params.get('code'), null);
  return params;
}

/** The code of a successful redirect back to the client (with state and iss checked). */
export function codeFrom(location: string | URL | null | undefined, expect: CallbackExpectation): string {
  const params = callbackParams(location === null || location === undefined ? location : String(location), expect);
  assert.equal(params.get('error'), null, params.get('error_description') ?? '');
  const code = params.get('code');
  assert.ok(code, 'the redirect carries a code');
  return code;
}

export function isLoginPage(page: Page | undefined): page is Page {
  return page !== undefined && interactionAction('login').test(page.html);
}

export function isAccountChooser(page: Page | undefined): page is Page {
  return page !== undefined && interactionAction('select_account').test(page.html);
}

export function isConsentPage(page: Page | undefined): page is Page {
  return page !== undefined && interactionAction('consent').test(page.html);
}

/** The interaction a hosted page belongs to: the uid its forms post to. */
export function interactionUid(html: string): string {
  const uid = new RegExp(`action="${TEST_PREFIX}/interaction/([A-Za-z0-9_-]+)/(?:login|consent|select_account)"`).exec(html)?.[1];
  assert.ok(uid, `the page posts to an interaction: ${html.slice(0, 300)}`);
  return uid;
}

/**
 * The authorization endpoint's answer when the user has to act: the hosted page itself (200,
 * HTML, no redirect) for a new interaction. Returns the page's HTML.
 */
export async function assertInteractionPage(res: Response): Promise<string> {
  const html = await res.text();
  assert.equal(res.status, 200, html.slice(0, 300));
  assert.equal(res.headers.get('location'), null);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/);
  interactionUid(html);
  return html;
}

/** Opens an authorization URL in the browser and expects the hosted login page. */
export async function openLoginPage(browser: HttpBrowser, url: string, origin = ISSUER): Promise<Page> {
  const step = await browser.navigate(url, origin);
  assert.ok(isLoginPage(step.page), `expected the login page, got ${step.leftTo ?? step.page?.html.slice(0, 300)}`);
  assert.equal(step.page.status, 200);
  return step.page;
}

/** The URL and body a browser would post for a page's form; undefined drops a hidden field. */
export function formPost(page: Page, actionPart: string, fields: Record<string, string | string[] | undefined>): { url: string; body: string } {
  const form = formIn(page.html, actionPart);
  const body = new URLSearchParams(form.hidden);
  for (const [name, value] of Object.entries(fields)) {
    body.delete(name);
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return { url: new URL(form.action, page.url).href, body: body.toString() };
}

export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

/** Posts a page's form from `browser` (with its cookies) and returns the raw response. */
export async function postForm(browser: HttpBrowser, page: Page, actionPart: string, fields: Record<string, string | string[] | undefined>): Promise<Response> {
  const { url, body } = formPost(page, actionPart, fields);
  return browser.request(url, { method: 'POST', headers: FORM_HEADERS, body });
}

/** The Set-Cookie header for `name`, if the response sets it. */
export function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
}

/** The value a Set-Cookie header for `name` gives, if the response sets it. */
export function cookieValue(res: Response, name: string): string | undefined {
  return setCookie(res, name)
    ?.split(';')[0]
    ?.slice(name.length + 1);
}

/** The message shown above the login form, if any. */
export function loginError(html: string): string | undefined {
  return /<p class="error" role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
}

/** Exchanges a code at the token endpoint. */
export function exchangeCode(
  ctx: TestContext,
  client: { id: string; secret: string | null },
  code: string,
  verifier: string,
  redirectUri = TEST_REDIRECT_URI,
): Promise<Response> {
  return tokenRequest(ctx, client.id, client.secret, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
}

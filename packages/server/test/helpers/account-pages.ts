import assert from 'node:assert/strict';
import { FORM_HEADERS, isLoginPage } from './authorize-pages.js';
import { ISSUER, signInForTokens } from './flow.js';
import type { HttpBrowser, Page } from './http-browser.js';
import { TEST_PASSWORD, type TestContext } from './harness.js';
import type { Confidential } from './oauth-requests.js';
import { TEST_PREFIX } from './prefix.js';

export const ACCOUNT_URL = `${ISSUER}/account/apps`;

/** One app as the account page lists it: its name, what it may do, and its remove form's fields. */
export interface ListedApp {
  name: string;
  scopes: string[];
  csrf: string;
  grant: string;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The apps on an account page, in page order. */
export function listedApps(html: string): ListedApp[] {
  const apps: ListedApp[] = [];
  for (const [item] of html.matchAll(/<li class="app"[\s\S]*?class="remove-form"[\s\S]*?<\/form>\s*<\/li>/g)) {
    const name = /<h2>([^<]*)<\/h2>/.exec(item)?.[1];
    const csrf = /name="csrf" value="([^"]*)"/.exec(item)?.[1];
    const grant = /name="grant" value="([^"]*)"/.exec(item)?.[1];
    assert.ok(name !== undefined && csrf && grant, `an app item with a name and a remove form: ${item}`);
    const scopes = [...item.matchAll(/<ul class="scopes">([\s\S]*?)<\/ul>/g)].flatMap(([, list]) =>
      [...(list ?? '').matchAll(/<span class="scope">([^<]*)<\/span>/g)].map((m) => unescapeHtml(m[1] ?? '')),
    );
    apps.push({ name: unescapeHtml(name), scopes, csrf, grant });
  }
  return apps;
}

/** The account page's confirmation line, if it shows one. */
export function notice(html: string): string | undefined {
  return /<p class="notice" role="status" id="notice">([^<]*)<\/p>/.exec(html)?.[1];
}

/** Opens the account page in a browser that is signed in and expects the list (not the sign-in). */
export async function openAccountPage(browser: HttpBrowser, url = ACCOUNT_URL): Promise<Page> {
  const step = await browser.navigate(url, ISSUER);
  assert.ok(step.page, `stayed on the provider, went to ${step.leftTo}`);
  assert.equal(step.page.status, 200, step.page.html.slice(0, 300));
  const page: Page = step.page;
  assert.equal(isLoginPage(page), false, 'the list, not the sign-in form');
  assert.match(page.html, /Apps with access to your account/);
  return page;
}

/** Posts the confirmed "Remove" form of one of the app's scopes (account/remove-scope.ts); `fields` override it. */
export function postRemoveScope(browser: HttpBrowser, app: ListedApp, scope: string, fields: Record<string, string | undefined> = {}): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries({ csrf: app.csrf, grant: app.grant, scope, confirm: 'yes', ...fields }))
    if (value !== undefined) body.set(name, value);
  return browser.request(`${ISSUER}/account/apps/remove-scope`, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
}

/** Posts the confirmed "Remove access" form from `browser`; `fields` override what the forms hold. */
export function postRemove(browser: HttpBrowser, app: ListedApp, fields: Record<string, string | undefined> = {}): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries({ csrf: app.csrf, grant: app.grant, confirm: 'yes', ...fields })) if (value !== undefined) body.set(name, value);
  return browser.request(`${ISSUER}/account/apps/remove`, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
}

/** Signs `email` in to `client` through the hosted pages (approving every scope) and returns the tokens. */
export async function tokensFor(
  ctx: TestContext,
  client: Confidential,
  email: string,
  browser: HttpBrowser,
  scope = 'openid profile email',
): Promise<{ access: string; refresh: string }> {
  const { tokens } = await signInForTokens(ctx, client, email, { scope }, browser);
  assert.equal(typeof tokens.refresh_token, 'string', 'the client gets a refresh token');
  return { access: tokens.access_token as string, refresh: tokens.refresh_token as string };
}

/** Signs in on the account page's own sign-in form; returns the answer to the login post. */
export async function signInOnAccountPage(browser: HttpBrowser, email: string, password = TEST_PASSWORD, url = ACCOUNT_URL): Promise<Response> {
  const res = await browser.request(url);
  const html = await res.text();
  const page = { url, status: res.status, html };
  assert.ok(isLoginPage(page), `the sign-in form: ${html.slice(0, 300)}`);
  const action = new RegExp(`action="(${TEST_PREFIX}/interaction/[^"]+/login)"`).exec(html)?.[1] ?? '';
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
  return browser.request(new URL(action, ISSUER).href, {
    method: 'POST',
    headers: FORM_HEADERS,
    body: new URLSearchParams({ csrf, email, password }).toString(),
  });
}

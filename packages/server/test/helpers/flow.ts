import { HttpBrowser, type Page } from './http-browser.js';
import { TEST_PASSWORD, TEST_REDIRECT_URI, type TestContext, basicAuth } from './harness.js';
import { pkcePair } from './pkce.js';
import { ISSUER, TEST_PREFIX, at } from './prefix.js';

export { ISSUER } from './prefix.js';

/** A browser whose requests go straight into the app, in-process. */
export function inProcessBrowser(ctx: TestContext): HttpBrowser {
  return new HttpBrowser((input, init) => Promise.resolve(ctx.app.request(input, init)));
}

export interface AuthorizeRequest {
  url: string;
  verifier: string;
  state: string;
  nonce: string;
}

/** An authorization URL with PKCE S256, state and nonce; `extra` adds or overrides parameters (undefined removes). */
export function authorizeUrl(clientId: string, extra: Record<string, string | undefined> = {}): AuthorizeRequest {
  const { verifier, challenge } = pkcePair();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const nonce = `nonce-${Math.random().toString(36).slice(2)}`;
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: TEST_REDIRECT_URI,
    scope: 'openid profile email',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  const url = new URL(`${ISSUER}/oauth/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { url: url.href, verifier, state, nonce };
}

export interface FlowResult {
  /** The client redirect the browser ended on, if it left the provider. */
  callback?: URL;
  /** The page the browser stopped on, if it did not. */
  page?: Page;
}

/**
 * Drives a browser through authorize → login (if shown) → consent (if shown, approving
 * `approve` scopes or denying) and returns where it ended.
 */
export async function runFlow(
  browser: HttpBrowser,
  url: string,
  opts: { email?: string; password?: string; approve?: string[] | 'deny' } = {},
): Promise<FlowResult> {
  let step = await browser.navigate(url, ISSUER);
  if (step.page && new RegExp(`action="${TEST_PREFIX}/interaction/[^"]+/login"`).test(step.page.html) && opts.email) {
    step = await browser.submit(step.page, '/login', { email: opts.email, password: opts.password ?? TEST_PASSWORD }, ISSUER);
  }
  if (step.page && new RegExp(`action="${TEST_PREFIX}/interaction/[^"]+/consent"`).test(step.page.html) && opts.approve) {
    step =
      opts.approve === 'deny'
        ? await browser.submit(step.page, '/consent', { decision: 'deny' }, ISSUER)
        : await browser.submit(step.page, '/consent', { decision: 'approve', scope: opts.approve }, ISSUER);
  }
  return step.leftTo ? { callback: new URL(step.leftTo) } : step.page ? { page: step.page } : {};
}

/** POST /oauth/token in-process with client_secret_basic (or client_id only for public clients). */
export async function tokenRequest(ctx: TestContext, clientId: string, secret: string | null, params: Record<string, string>): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(params);
  if (secret) headers.authorization = basicAuth(clientId, secret);
  else body.set('client_id', clientId);
  return ctx.app.request(at('/oauth/token'), { method: 'POST', headers, body: body.toString() });
}

/** Signs in through the hosted pages and exchanges the code: the whole happy path, in-process. */
export async function signInForTokens(
  ctx: TestContext,
  client: { id: string; secret: string | null },
  email: string,
  extra: Record<string, string | undefined> = {},
  browser: HttpBrowser = inProcessBrowser(ctx),
): Promise<{ tokens: Record<string, unknown>; request: AuthorizeRequest; browser: HttpBrowser }> {
  const request = authorizeUrl(client.id, extra);
  const scopes = (extra.scope ?? 'openid profile email').split(' ');
  const result = await runFlow(browser, request.url, { email, approve: scopes });
  const code = result.callback?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${result.callback?.href ?? result.page?.html.slice(0, 500)}`);
  const res = await tokenRequest(ctx, client.id, client.secret, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: extra.redirect_uri ?? TEST_REDIRECT_URI,
    code_verifier: request.verifier,
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return { tokens: (await res.json()) as Record<string, unknown>, request, browser };
}

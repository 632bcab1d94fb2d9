import assert from 'node:assert/strict';
import { authorizeUrl, inProcessBrowser, ISSUER, runFlow } from './flow.js';
import type { NewClient } from '../../src/store/repos/clients.js';
import { basicAuth, createTestClient, createTestContext, createTestUser, TEST_REDIRECT_URI, type TestContext } from './harness.js';
import type { User } from '../../src/store/repos/users.js';
import type { HttpBrowser } from './http-browser.js';
import { at } from './prefix.js';

/** How a request authenticates its client: Basic, form fields, client_id only, or not at all. */
export type ClientCredentials = { basic: { id: string; secret: string } } | { post: { id: string; secret: string } } | { publicId: string } | 'none';

/** A confidential client as the tests hold it; `secret` is always set for these. */
export interface Confidential {
  id: string;
  secret: string;
}

export function basic(client: Confidential): ClientCredentials {
  return { basic: { id: client.id, secret: client.secret } };
}

/** POSTs an urlencoded form in-process, authenticating the client as `creds` says. */
export function postForm(
  ctx: TestContext,
  path: string,
  params: Record<string, string>,
  creds: ClientCredentials = 'none',
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams(params);
  const all: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...headers };
  if (creds !== 'none') {
    if ('basic' in creds) all.authorization = basicAuth(creds.basic.id, creds.basic.secret);
    else if ('post' in creds) {
      body.set('client_id', creds.post.id);
      body.set('client_secret', creds.post.secret);
    } else body.set('client_id', creds.publicId);
  }
  return Promise.resolve(ctx.app.request(path, { method: 'POST', headers: all, body: body.toString() }));
}

export async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

/** Asserts an RFC 6749 §5.2 style error response: status, error code and JSON body. */
export async function assertOAuthError(res: Response, status: number, error: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status} ${error}, got ${res.status} ${text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.equal(body.error, error, text);
  return body;
}

export async function introspect(ctx: TestContext, client: Confidential, token: string, hint?: string): Promise<Record<string, unknown>> {
  const params: Record<string, string> = { token };
  if (hint) params.token_type_hint = hint;
  const res = await postForm(ctx, at('/oauth/introspect'), params, basic(client));
  assert.equal(res.status, 200, `introspection answered ${res.status}`);
  return json(res);
}

export function revoke(ctx: TestContext, creds: ClientCredentials, token: string, hint?: string): Promise<Response> {
  const params: Record<string, string> = { token };
  if (hint) params.token_type_hint = hint;
  return postForm(ctx, at('/oauth/revoke'), params, creds);
}

export function userinfo(ctx: TestContext, accessToken: string): Promise<Response> {
  return Promise.resolve(ctx.app.request(at('/oauth/userinfo'), { headers: { authorization: `Bearer ${accessToken}` } }));
}

export function refresh(ctx: TestContext, creds: ClientCredentials, refreshToken: string, extra: Record<string, string> = {}): Promise<Response> {
  return postForm(ctx, at('/oauth/token'), { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, creds);
}

/** Runs the browser part of the code flow and returns the code, without exchanging it. */
export async function obtainCode(
  browser: HttpBrowser,
  clientId: string,
  email: string,
  extra: Record<string, string | undefined> = {},
): Promise<{ code: string; verifier: string; nonce: string }> {
  const request = authorizeUrl(clientId, extra);
  const result = await runFlow(browser, request.url, { email, approve: (extra.scope ?? 'openid profile email').split(' ') });
  const code = result.callback?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${result.callback?.href ?? result.page?.html.slice(0, 300)}`);
  return { code, verifier: request.verifier, nonce: request.nonce };
}

/** The form of an authorization_code exchange for a code from obtainCode. */
export function codeParams(got: { code: string; verifier: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { grant_type: 'authorization_code', code: got.code, redirect_uri: TEST_REDIRECT_URI, code_verifier: got.verifier, ...extra };
}

/** A silent (prompt=none) authorization with a given Cookie header: where it sends the browser. */
export async function silentAuthorize(ctx: TestContext, clientId: string, cookie: string | undefined): Promise<URL> {
  const { url } = authorizeUrl(clientId, { prompt: 'none', scope: 'openid' });
  const res = await ctx.app.request(url, { headers: cookie ? { cookie } : {} });
  const location = res.headers.get('location');
  assert.ok(location, `prompt=none should redirect, got ${res.status}`);
  return new URL(location, ISSUER);
}

/** A confidential test client (harness defaults unless overridden), as id and secret. */
export async function confidentialClient(ctx: TestContext, overrides: Partial<NewClient> = {}): Promise<Confidential> {
  const made = await createTestClient(ctx, overrides);
  return { id: made.client.id, secret: made.secret as string };
}

/** What most grant tests start from: a fresh context, a confidential client, a user and a browser. */
export async function grantSetup(): Promise<{ ctx: TestContext; client: Confidential; user: User; browser: HttpBrowser }> {
  const ctx = await createTestContext();
  return { ctx, client: await confidentialClient(ctx), user: await createTestUser(ctx), browser: inProcessBrowser(ctx) };
}

import assert from 'node:assert/strict';
import { hashPassword } from '../../src/auth/password.js';
import { createProvider, type ProviderInput } from '../../src/federation/providers.js';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { updateIssuer } from '../../src/issuers/service.js';
import type { UpstreamProvider } from '../../src/store/repos/upstream-providers.js';
import type { User } from '../../src/store/repos/users.js';
import { TEST_PASSWORD, TEST_REDIRECT_URI, type TestContext, createTestClient, secondIssuer } from '../helpers/harness.js';
import { type HttpBrowser, type Page, formIn } from '../helpers/http-browser.js';
import { startLiveServer } from '../helpers/live-server.js';
import { pkcePair } from '../helpers/pkce.js';

/**
 * Two issuers of one live server on 127.0.0.1: the default one (the relying party of the
 * federation, with an app) and `upstream`, a second Gatehouse issuer acting as the upstream
 * OpenID Provider, with a client whose redirect URI is the default issuer's callback.
 */
export interface FederationWorld {
  ctx: TestContext;
  issuer: string;
  upstream: IssuerScope;
  /** The app of the default issuer (first party: no consent page). */
  app: { id: string; secret: string };
  /** The default issuer's client at the upstream issuer. */
  upstreamClient: { id: string; secret: string };
  close(): Promise<void>;
}

export async function federationWorld(): Promise<FederationWorld> {
  const live = await startLiveServer();
  const { ctx, issuer } = live;
  const upstream = await secondIssuer(ctx, 'upstream');
  const made = await upstream.repos.clients.create({
    name: 'Relying issuer',
    redirectUris: ['gh', 'other'].map((p) => `${issuer}/signin/${p}/callback`),
    postLogoutRedirectUris: [],
    grantTypes: ['authorization_code'],
    scopes: ['openid', 'profile', 'email'],
    isPublic: false,
    firstParty: true,
  });
  const app = await createTestClient(ctx, { firstParty: true });
  await updateIssuer(ctx.services, DEFAULT_ISSUER_ID, { settings: { signUp: 'open' } });
  return {
    ctx,
    issuer,
    upstream,
    app: { id: app.client.id, secret: app.secret ?? '' },
    upstreamClient: { id: made.client.id, secret: made.secret ?? '' },
    close: () => live.close(),
  };
}

/** The default issuer's scope as requests see it now (settings changes replace it). */
export function defaultScope(world: FederationWorld): Promise<IssuerScope> {
  return world.ctx.services.scopes.defaultScope();
}

/** The upstream issuer as a provider `id` of the default issuer. */
export async function addGatehouseProvider(world: FederationWorld, id = 'gh', extra: Partial<ProviderInput> = {}): Promise<UpstreamProvider> {
  return createProvider(await defaultScope(world), {
    id,
    displayName: 'Upstream',
    issuerUrl: world.upstream.url,
    clientId: world.upstreamClient.id,
    clientSecret: world.upstreamClient.secret,
    ...extra,
  });
}

export async function upstreamUser(world: FederationWorld, email: string, options: { verified?: boolean; name?: string } = {}): Promise<User> {
  return world.upstream.repos.users.create({
    email,
    emailVerified: options.verified ?? true,
    passwordHash: await hashPassword(TEST_PASSWORD),
    name: options.name ?? 'Grace Hopper',
    picture: 'https://pictures.example/grace.png',
  });
}

/** An authorization request of the app at the default issuer. */
export function appAuthorizeUrl(world: FederationWorld, extra: Record<string, string> = {}): { url: string; verifier: string } {
  const { verifier, challenge } = pkcePair();
  const url = new URL(`${world.issuer}/oauth/authorize`);
  const params = {
    response_type: 'code',
    client_id: world.app.id,
    redirect_uri: TEST_REDIRECT_URI,
    scope: 'openid profile email',
    state: 'app-state',
    nonce: 'app-nonce',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url: url.href, verifier };
}

/** Follows redirects by hand until `stop` says so (or a page or another origin is reached). */
export async function follow(
  browser: HttpBrowser,
  res: Response,
  from: string,
  stop: (url: string) => boolean = () => false,
): Promise<{ url: string; res: Response }> {
  let current = from;
  let response = res;
  for (let hops = 0; hops < 12; hops++) {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { url: current, res: response };
    current = new URL(location, current).href;
    if (stop(current) || !current.startsWith(new URL(from).origin)) return { url: current, res: response };
    response = await browser.request(current);
  }
  throw new Error('too many redirects');
}

export async function pageOf(step: { url: string; res: Response }): Promise<Page> {
  return { url: step.url, status: step.res.status, html: await step.res.text() };
}

export async function postIn(browser: HttpBrowser, page: Page, actionPart: string, fields: Record<string, string>): Promise<{ url: string; res: Response }> {
  const form = formIn(page.html, actionPart);
  const body = new URLSearchParams(form.hidden);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  const url = new URL(form.action, page.url).href;
  const res = await browser.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  return { url, res };
}

/**
 * The app's authorization request, the provider's button on the sign-in page, and the upstream
 * issuer's own sign-in, stopping at the redirect back to the default issuer's callback.
 */
export async function toCallback(
  world: FederationWorld,
  browser: HttpBrowser,
  email: string,
  provider = 'gh',
  start?: string,
): Promise<{ callback: string; page: Page }> {
  const first = start ?? appAuthorizeUrl(world).url;
  const login = await pageOf(await follow(browser, await browser.request(first), first));
  assert.equal(login.status, 200, login.html.slice(0, 400));
  const started = await postIn(browser, login, '/upstream', { provider });
  assert.equal(started.res.status, 303, await started.res.clone().text());
  const upstreamLogin = await pageOf(await follow(browser, started.res, started.url));
  assert.match(upstreamLogin.html, /<p class="brand">Upstream<\/p>/, upstreamLogin.html.slice(0, 400));
  const posted = await postIn(browser, upstreamLogin, '/login', { email, password: TEST_PASSWORD });
  const back = await follow(browser, posted.res, posted.url, (u) => u.includes('/signin/'));
  assert.match(back.url, /\/signin\/[a-z0-9-]+\/callback\?/, `stopped at ${back.url}`);
  return { callback: back.url, page: login };
}

/** The callback, then the redirects after it: where the browser ends (the app's redirect URI, or a page). */
export async function finishCallback(browser: HttpBrowser, callback: string): Promise<{ url: string; res: Response }> {
  return follow(browser, await browser.request(callback), callback);
}

export async function codeAt(step: { url: string; res: Response }): Promise<string> {
  const { url } = step;
  const parsed = new URL(url);
  if (`${parsed.origin}${parsed.pathname}` !== TEST_REDIRECT_URI)
    assert.fail(`ended at ${url}: ${step.res.status} ${(await step.res.text()).replace(/<[^>]+>/g, ' ').slice(0, 600)}`);
  assert.equal(`${parsed.origin}${parsed.pathname}`, TEST_REDIRECT_URI, `ended at ${url}`);
  const code = parsed.searchParams.get('code');
  assert.ok(code, `no code in ${url}`);
  return code;
}

export async function exchange(world: FederationWorld, code: string, verifier: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${world.issuer}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${world.app.id}:${world.app.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier }).toString(),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Record<string, unknown>;
}

export function jwtClaims(jwt: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

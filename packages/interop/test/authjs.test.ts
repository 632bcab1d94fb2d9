import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ExpressAuthConfig, ExpressAuth, getSession } from '@auth/express';
import type { OIDCConfig } from '@auth/express/providers';
import express from 'express';
import {
  type Discovery,
  type RunningApp,
  HttpBrowser,
  ID_TOKEN_PROFILE,
  TEST_PASSWORD,
  createTestClient,
  createTestUser,
  discover,
  introspect,
  listen,
  startLiveServer,
  throughGatehouse,
} from './helpers.js';

interface GatehouseProfile extends Record<string, unknown> {
  sub: string;
  email?: string;
  name?: string;
}

/** What GET /auth/session returns in this app: the default session plus the access token. */
interface AppSession {
  user?: { name?: string | null; email?: string | null; image?: string | null };
  expires?: string;
  accessToken?: string;
  error?: string;
}

interface AppOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
  /** The app's clock for access-token expiry, so a test can skip ahead without waiting. */
  now: () => number;
}

/** What the app saw, for the assertions. */
interface AppLog {
  profiles: { provider: string; profile: Record<string, unknown> }[];
  errors: unknown[];
  refreshes: number;
}

/**
 * Auth.js configuration as an application would write it: Gatehouse as a generic OIDC provider
 * found by discovery, a JWT session that keeps the tokens, and the refresh-token rotation of
 * https://authjs.dev/guides/refresh-token-rotation in the jwt callback.
 */
function authConfig(options: AppOptions, log: AppLog): ExpressAuthConfig {
  const { issuer, clientId, clientSecret } = options;
  const gatehouse: OIDCConfig<GatehouseProfile> = {
    id: 'gatehouse',
    name: 'Gatehouse',
    type: 'oidc',
    issuer,
    clientId,
    clientSecret,
    checks: ['pkce', 'state', 'nonce'],
  };
  // The same provider, taking the profile from the userinfo endpoint instead of the ID token.
  const gatehouseUserinfo: OIDCConfig<GatehouseProfile> = { ...gatehouse, id: 'gatehouse-userinfo', idToken: false };

  return {
    providers: [gatehouse, gatehouseUserinfo],
    secret: 'interop-test-auth-secret-0123456789abcdef',
    trustHost: true,
    basePath: '/auth',
    logger: {
      error: (error) => void log.errors.push(error),
      warn: () => {},
      debug: () => {},
    },
    events: {
      signIn: ({ account, profile }) => {
        if (account && profile) log.profiles.push({ provider: account.provider, profile: { ...profile } });
      },
    },
    callbacks: {
      async jwt({ token, account }) {
        if (account) {
          // First sign-in: keep what the refresh needs.
          return { ...token, access_token: account.access_token, expires_at: account.expires_at, refresh_token: account.refresh_token };
        }
        if (typeof token.expires_at === 'number' && options.now() < token.expires_at * 1000) return token;
        if (typeof token.refresh_token !== 'string') return { ...token, error: 'RefreshTokenError' };
        try {
          const response = await fetch(options.tokenEndpoint, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
            },
            body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token }),
          });
          const tokens = (await response.json()) as { access_token: string; expires_in: number; refresh_token?: string; error?: string };
          if (!response.ok) throw new Error(`refresh failed: ${tokens.error}`);
          log.refreshes++;
          return {
            ...token,
            access_token: tokens.access_token,
            expires_at: Math.floor(options.now() / 1000 + tokens.expires_in),
            // Gatehouse rotates refresh tokens: keep the new one, the old one is spent.
            refresh_token: tokens.refresh_token ?? token.refresh_token,
          };
        } catch (error) {
          log.errors.push(error);
          return { ...token, error: 'RefreshTokenError' };
        }
      },
      session({ session, token }) {
        const extended: typeof session & { accessToken?: unknown; error?: unknown } = session;
        extended.accessToken = token.access_token;
        if (token.error) extended.error = token.error;
        return extended;
      },
    },
  };
}

describe('Auth.js (@auth/express) against Gatehouse', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let rp: RunningApp;
  let discovery: Discovery;
  let clientId: string;
  let clientSecret: string;
  let user: { email: string; password: string; sub: string };
  let origin = '';
  let skewSeconds = 0;
  const log: AppLog = { profiles: [], errors: [], refreshes: 0 };
  const browser = new HttpBrowser();

  before(async () => {
    live = await startLiveServer();
    const app = express();
    rp = await listen(app);
    origin = rp.origin;
    const { client, secret } = await createTestClient(live.ctx, {
      ...ID_TOKEN_PROFILE,
      redirectUris: [`${origin}/auth/callback/gatehouse`, `${origin}/auth/callback/gatehouse-userinfo`],
      postLogoutRedirectUris: [`${origin}/`],
      // Auth.js's `type: 'oidc'` takes the profile from the ID token: the compatibility switch puts
      // name and email there (docs/connecting-apps.md). The `idToken: false` provider needs none.
      idTokenClaims: true,
    });
    clientId = client.id;
    clientSecret = secret as string;
    const created = await createTestUser(live.ctx);
    user = { email: created.email, password: TEST_PASSWORD, sub: created.id };
    discovery = await discover(live.issuer);

    const config = authConfig(
      { issuer: live.issuer, clientId, clientSecret, tokenEndpoint: discovery.token_endpoint, now: () => Date.now() + skewSeconds * 1000 },
      log,
    );
    app.use('/auth', ExpressAuth(config));
    app.get('/', async (req, res) => {
      res.json({ session: await getSession(req, config) });
    });
  });

  after(async () => {
    await rp?.close();
    await live?.close();
  });

  async function csrfToken(): Promise<string> {
    const res = await browser.request(`${origin}/auth/csrf`);
    assert.equal(res.status, 200);
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async function session(): Promise<AppSession | null> {
    const res = await browser.request(`${origin}/auth/session`);
    assert.equal(res.status, 200);
    return (await res.json()) as AppSession | null;
  }

  /** POST /auth/signin/<provider> → Gatehouse → /auth/callback/<provider> → the callbackUrl. */
  async function signIn(provider: string): Promise<{ shown: string[]; landed: { session: AppSession | null } }> {
    const body = new URLSearchParams({ csrfToken: await csrfToken(), callbackUrl: `${origin}/` });
    const start = await browser.navigate(`${origin}/auth/signin/${provider}`, origin, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    assert.ok(start.leftTo, `Auth.js redirected to Gatehouse (${start.page?.status} ${start.page?.url} ${start.page?.html.slice(0, 300)})`);
    const authorize = new URL(start.leftTo);
    assert.equal(authorize.searchParams.get('client_id'), clientId);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${origin}/auth/callback/${provider}`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));

    const { callback, shown } = await throughGatehouse(browser, start.leftTo, live.issuer, user);
    assert.equal(callback.searchParams.get('iss'), live.issuer);
    const done = await browser.navigate(callback.href, origin);
    assert.ok(done.page, `signed in and back on the app (${done.leftTo})`);
    assert.equal(done.page.url, `${origin}/`, `landed on the callbackUrl, not an error page (errors: ${log.errors.map(String).join('; ')})`);
    assert.equal(done.page.status, 200);
    return { shown, landed: JSON.parse(done.page.html) as { session: AppSession | null } };
  }

  it('signs in: csrf → signin → Gatehouse login + consent → callback → session with the profile from the ID token', async () => {
    assert.equal(await session(), null);
    const { shown, landed } = await signIn('gatehouse');
    assert.deepEqual(shown, ['login', 'consent']);
    assert.deepEqual(log.errors, []);

    // getSession in a route and GET /auth/session agree.
    assert.equal(landed.session?.user?.email, user.email);
    const current = await session();
    assert.equal(current?.user?.email, user.email);
    assert.equal(current?.user?.name, 'Ada Lovelace');
    assert.ok(current?.accessToken);
    const active = await introspect(discovery, clientId, clientSecret, current.accessToken);
    assert.equal(active.active, true);
    assert.equal(active.sub, user.sub);

    // Auth.js (oauth4webapi) checked the ID token's claims (iss, aud, exp, nonce) and used them.
    const seen = log.profiles.at(-1);
    assert.equal(seen?.provider, 'gatehouse');
    assert.equal(seen?.profile.sub, user.sub);
    assert.equal(seen?.profile.iss, live.issuer);
    assert.equal(seen?.profile.aud, clientId);
  });

  it('refreshes in the jwt callback when the access token has expired, keeping the rotated refresh token', async () => {
    const before = await session();
    assert.ok(before?.accessToken);
    assert.equal(log.refreshes, 0);

    skewSeconds = 16 * 60; // past Gatehouse's 15-minute access tokens
    const first = await session();
    assert.equal(log.refreshes, 1, `refreshed once (errors: ${log.errors.map(String).join('; ')})`);
    assert.equal(first?.error, undefined);
    assert.ok(first?.accessToken && first.accessToken !== before.accessToken);
    assert.equal((await introspect(discovery, clientId, clientSecret, first.accessToken)).active, true);
    assert.equal(first.user?.email, user.email);

    // Fresh again: no refresh. Then a second expiry refreshes with the rotated refresh token: had
    // the first one been kept, Gatehouse would have seen a reused token and revoked the grant.
    assert.equal((await session())?.accessToken, first.accessToken);
    assert.equal(log.refreshes, 1);
    skewSeconds = 32 * 60;
    const second = await session();
    assert.equal(log.refreshes, 2);
    assert.equal(second?.error, undefined, `second refresh worked (errors: ${log.errors.map(String).join('; ')})`);
    assert.ok(second?.accessToken && second.accessToken !== first.accessToken);
    assert.equal((await introspect(discovery, clientId, clientSecret, second.accessToken)).active, true);
    skewSeconds = 0;
  });

  it('with idToken: false takes the profile from the userinfo endpoint (single sign-on: no pages)', async () => {
    const { shown, landed } = await signIn('gatehouse-userinfo');
    assert.deepEqual(shown, []);
    assert.deepEqual(log.errors, []);
    assert.equal(landed.session?.user?.email, user.email);
    assert.equal(landed.session?.user?.name, 'Ada Lovelace');
    const seen = log.profiles.at(-1);
    assert.equal(seen?.provider, 'gatehouse-userinfo');
    assert.equal(seen?.profile.sub, user.sub);
    assert.equal(seen?.profile.email_verified, true);
    // A userinfo response, not ID token claims.
    assert.equal(seen?.profile.iss, undefined);
    assert.equal(seen?.profile.nonce, undefined);
  });

  it('signs out of the app', async () => {
    const res = await browser.request(`${origin}/auth/signout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: await csrfToken(), callbackUrl: `${origin}/` }).toString(),
    });
    assert.equal(res.status, 302);
    assert.equal(await session(), null);
  });
});

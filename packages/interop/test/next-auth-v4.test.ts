import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import express from 'express';
import nextAuth, { type NextAuthOptions } from 'next-auth';
import { getToken } from 'next-auth/jwt';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { type NextApiHandlerLike, nextApiRequest, nextCatchAllRoute } from '../src/next-api-route.js';
import {
  ID_TOKEN_PROFILE,
  type RunningApp,
  HttpBrowser,
  TEST_PASSWORD,
  createTestClient,
  createTestUser,
  listen,
  startLiveServer,
  throughGatehouse,
} from './helpers.js';

// next-auth is CommonJS: imported from ESM, its default export is under `default`.
const NextAuth = nextAuth.default;

const SECRET = 'some-secret-secret';

/** Which of PKCE and nonce the provider's `checks` put in the authorization request. */
interface Sends {
  pkce: boolean;
  nonce: boolean;
}
// v4's default checks for an "oauth" provider: state only.
const STATE_ONLY: Sends = { pkce: false, nonce: false };

interface Profile {
  sub: string;
  name?: string;
  email?: string;
}

interface V4Session {
  user?: { name?: string | null; email?: string | null; image?: string | null };
  expires?: string;
}

/** What NextAuth's logger reported, for the assertions (and to show why a sign-in failed). */
interface Logged {
  code: string;
  metadata: unknown;
}

/**
 * The provider as the seed guide ("Add server-side web application", Node.js with Next.js)
 * writes it: `type: "oauth"`, `version: "2.0"`, `wellKnown`, a profile() mapping — and so v4's
 * defaults for such a provider: `idToken: true` (the wellKnown URL is an openid-configuration),
 * `checks: ["state"]` (no PKCE, no nonce), client_secret_basic, RS256 ID tokens.
 * `authorization` is the caller's: the guide's own has a typo (`scopes`, not `scope`).
 */
function seedProvider(
  id: string,
  wellKnown: string,
  client: { id: string; secret: string },
  authorization: { params: Record<string, unknown> },
  extra: Partial<OAuthConfig<Profile>> = {},
): OAuthConfig<Profile> {
  return {
    ...extra,
    id,
    name: 'Gatehouse',
    type: 'oauth',
    version: '2.0',
    wellKnown,
    clientId: client.id,
    clientSecret: client.secret,
    authorization,
    profile(profile) {
      return { id: profile.sub, name: profile.name, email: profile.email };
    },
  };
}

describe('NextAuth v4 (the seed guide’s "oauth" provider) against Gatehouse', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let rp: RunningApp;
  let origin = '';
  let user: { email: string; password: string; sub: string };
  const logged: Logged[] = [];

  before(async () => {
    live = await startLiveServer();
    const app = express();
    rp = await listen(app);
    origin = rp.origin;
    // A Next.js app is told its own URL by NEXTAUTH_URL (.env.local); NextAuth builds its
    // callback URLs (the redirect_uri) from it. Each test file runs in a process of its own.
    process.env.NEXTAUTH_URL = origin;

    const callback = (id: string): string => `${origin}/api/auth/callback/${id}`;
    const optional = await createTestClient(live.ctx, {
      ...ID_TOKEN_PROFILE,
      pkce: 'optional',
      redirectUris: [callback('gatehouse'), callback('seed-literal'), callback('gatehouse-nonce'), callback('gatehouse-no-id-token')],
    });
    const required = await createTestClient(live.ctx, {
      ...ID_TOKEN_PROFILE,
      redirectUris: [callback('gatehouse-pkce-required'), callback('gatehouse-with-pkce')],
    });
    const created = await createTestUser(live.ctx);
    user = { email: created.email, password: TEST_PASSWORD, sub: created.id };

    const wellKnown = `${live.issuer}/.well-known/openid-configuration`;
    const optionalClient = { id: optional.client.id, secret: optional.secret as string };
    const requiredClient = { id: required.client.id, secret: required.secret as string };
    const scope = { params: { scope: 'openid profile email' } };
    const authOptions: NextAuthOptions = {
      secret: SECRET,
      providers: [
        seedProvider('gatehouse', wellKnown, optionalClient, scope),
        // With --pkce optional, the nonce is what binds the code to the sign-in (docs/connecting-apps.md).
        seedProvider('gatehouse-nonce', wellKnown, optionalClient, scope, { checks: ['state', 'nonce'] }),
        // What docs/connecting-apps.md says does not work: the profile from userinfo instead.
        seedProvider('gatehouse-no-id-token', wellKnown, optionalClient, scope, { idToken: false }),
        seedProvider('seed-literal', wellKnown, optionalClient, { params: { scopes: ['openid', 'profile', 'email'] } }),
        seedProvider('gatehouse-pkce-required', wellKnown, requiredClient, scope),
        // The alternative to --pkce optional, when the provider config can be changed.
        seedProvider('gatehouse-with-pkce', wellKnown, requiredClient, scope, { checks: ['pkce', 'state', 'nonce'] }),
      ],
      callbacks: {
        // As in the guide.
        async jwt({ token }) {
          token.userRole = 'admin';
          return token;
        },
      },
      logger: {
        error: (code, metadata) => void logged.push({ code, metadata }),
        warn: () => {},
        debug: () => {},
      },
    };
    // `export default NextAuth(authOptions)` in pages/api/auth/[...nextauth].ts.
    const handler = NextAuth(authOptions) as unknown as NextApiHandlerLike;
    app.all('/api/auth/*nextauth', ...nextCatchAllRoute(handler));
    // An API route of the app reading the session JWT server-side.
    app.get('/api/whoami', async (req, res) => {
      res.json({ token: await getToken({ req: nextApiRequest(req) as unknown as Parameters<typeof getToken>[0]['req'], secret: SECRET }) });
    });
    app.get('/', (_req, res) => {
      res.send('home');
    });
  });

  after(async () => {
    delete process.env.NEXTAUTH_URL;
    await rp?.close();
    await live?.close();
  });

  async function getJson<T>(browser: HttpBrowser, path: string): Promise<T> {
    const res = await browser.request(`${origin}${path}`);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return (await res.json()) as T;
  }

  /** What signIn('<provider>') in the browser does: csrf, then POST /api/auth/signin/<provider>. */
  async function startSignIn(browser: HttpBrowser, provider: string, sends: Sends = STATE_ONLY): Promise<URL> {
    const { csrfToken } = await getJson<{ csrfToken: string }>(browser, '/api/auth/csrf');
    const start = await browser.navigate(`${origin}/api/auth/signin/${provider}`, origin, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${origin}/` }).toString(),
    });
    assert.ok(start.leftTo, `NextAuth redirected to Gatehouse (${start.page?.status} ${start.page?.url} ${start.page?.html.slice(0, 300)})`);
    const authorize = new URL(start.leftTo);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${live.issuer}/oauth/authorize`);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${origin}/api/auth/callback/${provider}`);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.ok(authorize.searchParams.get('state'));
    assert.equal(authorize.searchParams.get('code_challenge_method'), sends.pkce ? 'S256' : null);
    assert.equal(Boolean(authorize.searchParams.get('nonce')), sends.nonce);
    return authorize;
  }

  /** Signs in with a browser of its own; `expectShown`: the Gatehouse pages it must go through, when given. */
  async function signIn(provider: string, scopes: string[], expectShown: string[] | undefined, sends: Sends = STATE_ONLY): Promise<HttpBrowser> {
    const browser = new HttpBrowser();
    const authorize = await startSignIn(browser, provider, sends);
    assert.equal(authorize.searchParams.get('scope'), scopes.join(' '));
    const { callback, shown } = await throughGatehouse(browser, authorize.href, live.issuer, user, scopes);
    assert.ok(shown.includes('login'));
    if (expectShown) assert.deepEqual(shown, expectShown);
    assert.ok(callback.searchParams.get('code'));
    const errorsBefore = logged.length;
    const done = await browser.navigate(callback.href, origin);
    assert.deepEqual(logged.slice(errorsBefore), [], 'NextAuth logged no error');
    assert.ok(done.page, `back on the app (${done.leftTo})`);
    assert.equal(done.page.url, `${origin}/`, 'landed on the callbackUrl, not an error page');
    assert.equal(done.page.status, 200);
    return browser;
  }

  it('signs in with the guide’s provider (scope fixed): session with the email, JWT with the sub', async () => {
    const browser = await signIn('gatehouse', ['openid', 'profile', 'email'], ['login', 'consent']);
    const session = await getJson<V4Session>(browser, '/api/auth/session');
    assert.equal(session.user?.email, user.email);
    assert.equal(session.user?.name, 'Ada Lovelace');
    assert.ok(session.expires);
    const { token } = await getJson<{ token: Record<string, unknown> | null }>(browser, '/api/whoami');
    assert.equal(token?.sub, user.sub);
    assert.equal(token?.email, user.email);
    assert.equal(token?.userRole, 'admin');
  });

  it('signs in with the guide’s config exactly as written: `scopes` is not a parameter NextAuth knows, so only openid is asked', async () => {
    // openid-client (under NextAuth v4) defaults scope to "openid" and sends `scopes` along as an
    // unknown parameter, which Gatehouse ignores: the sign-in works, the profile has only the sub.
    const browser = await signIn('seed-literal', ['openid'], undefined);
    const session = await getJson<V4Session>(browser, '/api/auth/session');
    assert.ok(session.user, 'signed in');
    assert.equal(session.user.email ?? null, null);
    const { token } = await getJson<{ token: Record<string, unknown> | null }>(browser, '/api/whoami');
    assert.equal(token?.sub, user.sub);
  });

  it('against a client with PKCE required: Gatehouse refuses the authorization request; NextAuth logs why and shows its sign-in page with error=Callback', async () => {
    const browser = new HttpBrowser();
    const authorize = await startSignIn(browser, 'gatehouse-pkce-required');
    const refused = await browser.navigate(authorize.href, live.issuer);
    assert.ok(refused.leftTo, 'Gatehouse sent the error back to the app, no login page');
    const error = new URL(refused.leftTo);
    assert.equal(`${error.origin}${error.pathname}`, `${origin}/api/auth/callback/gatehouse-pkce-required`);
    assert.equal(error.searchParams.get('error'), 'invalid_request');
    assert.equal(error.searchParams.get('error_description'), 'PKCE is required: send code_challenge with code_challenge_method=S256');

    const errorsBefore = logged.length;
    const shown = await browser.navigate(refused.leftTo, origin);
    assert.ok(shown.page);
    const landed = new URL(shown.page.url);
    assert.equal(`${landed.pathname}?${landed.searchParams}`, '/api/auth/signin?error=Callback', JSON.stringify(logged.slice(errorsBefore)));
    // NextAuth's built-in sign-in page, with its generic "Try signing in with a different account."
    assert.equal(shown.page.status, 200);
    const reported = logged.slice(errorsBefore);
    assert.equal(reported[0]?.code, 'OAUTH_CALLBACK_HANDLER_ERROR');
    const metadata = reported[0]?.metadata as { error?: Error; error_description?: string };
    assert.equal(metadata.error?.message, 'invalid_request');
    assert.match(metadata.error_description ?? '', /PKCE is required/);
    assert.equal((await getJson<V4Session>(browser, '/api/auth/session')).user, undefined);
  });

  it('with checks ["pkce", "state", "nonce"] the same provider signs in against a PKCE-required client', async () => {
    const browser = await signIn('gatehouse-with-pkce', ['openid', 'profile', 'email'], ['login', 'consent'], { pkce: true, nonce: true });
    const session = await getJson<V4Session>(browser, '/api/auth/session');
    assert.equal(session.user?.email, user.email);
    const { token } = await getJson<{ token: Record<string, unknown> | null }>(browser, '/api/whoami');
    assert.equal(token?.sub, user.sub);
  });

  it('with checks ["state", "nonce"] against the --pkce optional client: the ID token’s nonce is checked', async () => {
    const browser = await signIn('gatehouse-nonce', ['openid', 'profile', 'email'], undefined, { pkce: false, nonce: true });
    assert.equal((await getJson<V4Session>(browser, '/api/auth/session')).user?.email, user.email);
  });

  it('with idToken: false the sign-in fails: openid-client’s oauthCallback refuses a token response with an id_token', async () => {
    const browser = new HttpBrowser();
    const authorize = await startSignIn(browser, 'gatehouse-no-id-token');
    const { callback } = await throughGatehouse(browser, authorize.href, live.issuer, user, ['openid', 'profile', 'email']);
    const errorsBefore = logged.length;
    const done = await browser.navigate(callback.href, origin);
    assert.equal(new URL(done.page?.url ?? '').pathname, '/api/auth/signin');
    const reported = logged.slice(errorsBefore);
    assert.equal(reported[0]?.code, 'OAUTH_CALLBACK_ERROR');
    assert.match(inspect(reported[0]?.metadata), /id_token detected in the response, you must use client\.callback\(\)/);
  });
});

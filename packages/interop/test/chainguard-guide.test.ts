import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type Discovery,
  HttpBrowser,
  TEST_PASSWORD,
  createTestClient,
  createTestUser,
  discover,
  introspect,
  startLiveServer,
  throughGatehouse,
} from './helpers.js';

// The app's callback: never served, the browser stops where Gatehouse sends it.
const REDIRECT_URI = 'https://app.example/oauth/callback';

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  id_token?: string;
  error?: string;
  error_description?: string;
}

/**
 * ChainGuard's "OAuth 2.0 Authentication Flow" guide, followed literally with Gatehouse's URLs:
 * Step 1's authorization URL (client_id, redirect_uri, response_type, scope, state: no PKCE, no
 * nonce), then its "Integration Examples": the token exchange and the refresh as JSON bodies with
 * client_id and client_secret in them, and userinfo with the Bearer token.
 */
describe('ChainGuard’s documented flow: JSON token and refresh requests', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let discovery: Discovery;
  let optional: { id: string; secret: string };
  let required: { id: string; secret: string };
  let user: { email: string; password: string; sub: string };

  before(async () => {
    live = await startLiveServer();
    discovery = await discover(live.issuer);
    const make = async (pkce: 'optional' | 'required'): Promise<{ id: string; secret: string }> => {
      const { client, secret } = await createTestClient(live.ctx, { pkce, redirectUris: [REDIRECT_URI] });
      return { id: client.id, secret: secret as string };
    };
    optional = await make('optional');
    required = await make('required');
    const created = await createTestUser(live.ctx);
    user = { email: created.email, password: TEST_PASSWORD, sub: created.id };
  });
  after(() => live?.close());

  /** Step 1: `/oauth/authorize?client_id&redirect_uri&response_type=code&scope&state`. */
  function authorizeUrl(clientId: string, scope: string): { url: string; state: string } {
    const state = randomBytes(16).toString('hex');
    const params = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope, state });
    return { url: `${discovery.authorization_endpoint}?${params}`, state };
  }

  /** Steps 1–4 in a browser: the code, after checking the state as the guide says. */
  async function authorizationCode(clientId: string, scope: string): Promise<string> {
    const { url, state } = authorizeUrl(clientId, scope);
    const { callback } = await throughGatehouse(new HttpBrowser(), url, live.issuer, user, scope.split(' '));
    assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT_URI);
    assert.equal(callback.searchParams.get('state'), state);
    const code = callback.searchParams.get('code');
    assert.ok(code);
    return code;
  }

  // The guide's two token requests, verbatim but for the URL.
  async function exchange(authorizationCode: string, redirectUri: string, clientId: string, clientSecret: string): Promise<Response> {
    return fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: authorizationCode,
        redirect_uri: redirectUri,
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
  }

  async function refresh(refreshToken: string, clientId: string, clientSecret: string): Promise<Response> {
    return fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
  }

  async function userinfo(accessToken: string): Promise<Response> {
    return fetch(discovery.userinfo_endpoint, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
      },
    });
  }

  async function tokensOf(res: Response): Promise<Tokens> {
    const body = (await res.json()) as Tokens;
    assert.equal(res.status, 200, JSON.stringify(body));
    return body;
  }

  it('with a --pkce optional client: code → JSON token exchange → userinfo → JSON refresh → the new tokens work', async () => {
    const code = await authorizationCode(optional.id, 'openid profile email');
    const tokens = await tokensOf(await exchange(code, REDIRECT_URI, optional.id, optional.secret));
    // The response fields the guide's Step 5 shows.
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(typeof tokens.expires_in, 'number');
    assert.equal(typeof tokens.refresh_token, 'string');
    assert.equal(tokens.scope, 'openid profile email');

    const info = await userinfo(tokens.access_token);
    assert.equal(info.status, 200);
    const userData = (await info.json()) as Record<string, unknown>;
    assert.equal(userData.sub, user.sub);
    assert.equal(userData.name, 'Ada Lovelace');
    assert.equal(userData.email, user.email);

    const newTokens = await tokensOf(await refresh(tokens.refresh_token as string, optional.id, optional.secret));
    assert.equal(newTokens.token_type, 'Bearer');
    assert.notEqual(newTokens.access_token, tokens.access_token);
    assert.ok(newTokens.refresh_token && newTokens.refresh_token !== tokens.refresh_token, 'rotated ("Single-use (if rotation enabled)")');
    assert.equal((await userinfo(newTokens.access_token)).status, 200);
    assert.equal((await introspect(discovery, optional.id, optional.secret, newTokens.access_token)).active, true);
    // And the rotated one refreshes again.
    await tokensOf(await refresh(newTokens.refresh_token, optional.id, optional.secret));
  });

  it('answers the guide’s error cases with its status codes: a wrong secret is 401, a bad or replayed code 400', async () => {
    const code = await authorizationCode(optional.id, 'openid profile email');
    const wrongSecret = await exchange(code, REDIRECT_URI, optional.id, `${optional.secret}x`);
    assert.equal(wrongSecret.status, 401);
    assert.equal(((await wrongSecret.json()) as Tokens).error, 'invalid_client');
    // The code is single-use (the guide's "Authorization Code Properties"); a replay also ends
    // what the first exchange got (RFC 6749 §4.1.2).
    const tokens = await tokensOf(await exchange(code, REDIRECT_URI, optional.id, optional.secret));
    const replay = await exchange(code, REDIRECT_URI, optional.id, optional.secret);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as Tokens).error, 'invalid_grant');
    assert.equal((await introspect(discovery, optional.id, optional.secret, tokens.access_token)).active, false);
    const badCode = await exchange('not-a-code', REDIRECT_URI, optional.id, optional.secret);
    assert.equal(badCode.status, 400);
    assert.equal(((await badCode.json()) as Tokens).error, 'invalid_grant');
    const badRefresh = await refresh('not-a-refresh-token', optional.id, optional.secret);
    assert.equal(badRefresh.status, 400);
    assert.equal(((await badRefresh.json()) as Tokens).error, 'invalid_grant');
  });

  it('without openid in the scope (the guide lists profile and email): tokens and refresh work, userinfo needs openid', async () => {
    const code = await authorizationCode(optional.id, 'profile email');
    const tokens = await tokensOf(await exchange(code, REDIRECT_URI, optional.id, optional.secret));
    assert.equal(tokens.id_token, undefined);
    assert.equal(tokens.scope, 'profile email');
    const info = await userinfo(tokens.access_token);
    assert.equal(info.status, 403);
    assert.match(info.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    assert.ok(tokens.refresh_token);
    await tokensOf(await refresh(tokens.refresh_token, optional.id, optional.secret));
  });

  it('with a PKCE-required client: the guide’s authorization URL is refused with invalid_request', async () => {
    const { url, state } = authorizeUrl(required.id, 'openid profile email');
    const refused = await new HttpBrowser().navigate(url, live.issuer);
    assert.ok(refused.leftTo, 'Gatehouse sent the error back to the app, no login page');
    const error = new URL(refused.leftTo);
    assert.equal(`${error.origin}${error.pathname}`, REDIRECT_URI);
    assert.equal(error.searchParams.get('error'), 'invalid_request');
    assert.equal(error.searchParams.get('error_description'), 'PKCE is required: send code_challenge with code_challenge_method=S256');
    assert.equal(error.searchParams.get('state'), state);
  });
});

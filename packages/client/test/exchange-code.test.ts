import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetworkError, OAuthResponseError, ProtocolError } from '../src/index.js';
import { signingKey } from './helpers/fake-provider.js';
import { setup, signIn, tokenResponse } from './helpers/setup.js';

const isProtocol = (code: string, claim?: string) => (e: unknown) => {
  assert.ok(e instanceof ProtocolError, `expected ProtocolError, got ${String(e)}`);
  assert.equal(e.code, code);
  if (claim) assert.equal(e.claim, claim);
  return true;
};

test('exchangeCode with the callback URL returns an agent with verified profile and tokens', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  assert.equal(agent.profile.sub, 'user-1');
  assert.equal(agent.profile.iss, provider.issuer);
  assert.equal(typeof agent.profile.at_hash, 'string', 'the at_hash check ran and passed');
  const tokens = agent.tokens;
  assert.equal(typeof tokens.accessToken, 'string');
  assert.equal(typeof tokens.refreshToken, 'string');
  assert.equal(typeof tokens.idToken, 'string');
  assert.equal(tokens.expiresAt, provider.clock() + provider.accessTokenTtl);
  assert.equal(tokens.scope, 'openid profile email');
  assert.equal(tokens.tokenType, 'Bearer');
  assert.deepEqual(JSON.parse(JSON.stringify(tokens)), tokens, 'tokens are plain JSON');
  const exchange = provider.requests.find((r) => r.path === '/oauth/token');
  assert.equal(exchange?.form.get('grant_type'), 'authorization_code');
  assert.equal(exchange?.form.get('redirect_uri'), provider.redirectUri);
  assert.match(exchange?.headers.get('authorization') ?? '', /^Basic /, 'client_secret_basic');
  assert.equal(exchange?.form.has('client_secret'), false);
});

test('exchangeCode accepts a URL object and the path+query a framework sees', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  assert.equal((await idp.exchangeCode(new URL(provider.authorize(a.url)), a)).profile.sub, 'user-1');
  const b = await idp.createAuthorizationUrl();
  const callback = new URL(provider.authorize(b.url));
  assert.equal((await idp.exchangeCode(`${callback.pathname}${callback.search}`, b)).profile.sub, 'user-1');
});

test('exchangeCode accepts a bare code (state checked by the caller) and the older (code, verifier) form', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const codeA = new URL(provider.authorize(a.url)).searchParams.get('code') ?? '';
  assert.equal((await idp.exchangeCode(codeA, { codeVerifier: a.codeVerifier, nonce: a.nonce })).profile.sub, 'user-1');
  const b = await idp.createAuthorizationUrl();
  const codeB = new URL(provider.authorize(b.url)).searchParams.get('code') ?? '';
  const agent = await idp.exchangeCode(codeB, b.codeVerifier);
  assert.equal(agent.profile.sub, 'user-1');
});

test('a wrong PKCE verifier is an OAuthResponseError from the token endpoint', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  await assert.rejects(idp.exchangeCode(callback, { ...a, codeVerifier: 'x'.repeat(43) }), (e: unknown) => {
    assert.ok(e instanceof OAuthResponseError);
    assert.equal(e.error, 'invalid_grant');
    assert.equal(e.error_description, 'bad code');
    assert.equal(e.status, 400);
    return true;
  });
});

test('a state mismatch is a ProtocolError and the code is not redeemed', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  await assert.rejects(idp.exchangeCode(callback, { ...a, state: 'another-state' }), isProtocol('state_mismatch'));
  const forged = new URL(callback);
  forged.searchParams.delete('state');
  await assert.rejects(idp.exchangeCode(forged, a), isProtocol('state_mismatch'));
  assert.equal(provider.count('/oauth/token'), 0);
});

test('a callback URL without the stored state is a usage error', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  await assert.rejects(idp.exchangeCode(provider.authorize(a.url), { codeVerifier: a.codeVerifier, nonce: a.nonce }), TypeError);
});

test('a missing or foreign iss in the callback is a ProtocolError (RFC 9207)', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = new URL(provider.authorize(a.url));
  callback.searchParams.set('iss', 'https://evil.test');
  await assert.rejects(idp.exchangeCode(callback, a), isProtocol('issuer_mismatch'));
  callback.searchParams.delete('iss');
  await assert.rejects(idp.exchangeCode(callback, a), isProtocol('issuer_mismatch'));
  assert.equal(provider.count('/oauth/token'), 0);
});

test('an error in the callback is an OAuthResponseError', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = new URL(provider.redirectUri);
  callback.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user said no', state: a.state, iss: provider.issuer }).toString();
  await assert.rejects(idp.exchangeCode(callback.href, a), (e: unknown) => {
    assert.ok(e instanceof OAuthResponseError);
    assert.equal(e.error, 'access_denied');
    assert.equal(e.error_description, 'The user said no');
    assert.equal(e.status, undefined);
    return true;
  });
});

test('an error callback with the wrong state is still a state mismatch (CSRF first)', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = `${provider.redirectUri}?error=access_denied&state=forged&iss=${encodeURIComponent(provider.issuer)}`;
  await assert.rejects(idp.exchangeCode(callback, a), isProtocol('state_mismatch'));
});

test('a network failure at the token endpoint is a NetworkError', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  provider.down = true;
  await assert.rejects(idp.exchangeCode(callback, a), (e: unknown) => e instanceof NetworkError && e.cause instanceof TypeError);
});

test('bad client credentials are an OAuthResponseError invalid_client with status 401', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  provider.intercept = (r) => (r.path === '/oauth/token' ? tokenResponse({ error: 'invalid_client' }, 401) : undefined);
  await assert.rejects(idp.exchangeCode(callback, a), (e: unknown) => e instanceof OAuthResponseError && e.error === 'invalid_client' && e.status === 401);
});

test('a token endpoint answering 502 with HTML is a ProtocolError carrying the status', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  provider.intercept = (r) => (r.path === '/oauth/token' ? new Response('<html>bad gateway</html>', { status: 502 }) : undefined);
  await assert.rejects(idp.exchangeCode(callback, a), (e: unknown) => e instanceof ProtocolError && e.code === 'unexpected_status' && e.status === 502);
});

/** Signs in, but the token endpoint answers with the ID token `makeIdToken` builds. */
async function exchangeWithIdToken(makeIdToken: (ctx: { nonce: string; provider: Awaited<ReturnType<typeof setup>>['provider'] }) => Promise<string>) {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  const idToken = await makeIdToken({ nonce: a.nonce, provider });
  provider.intercept = async (r) =>
    r.path === '/oauth/token'
      ? tokenResponse({ access_token: await provider.accessToken(), token_type: 'Bearer', expires_in: 900, id_token: idToken })
      : undefined;
  return idp.exchangeCode(callback, a);
}

test('the ID token checks pass for a well-formed token (control for the cases below)', async () => {
  const agent = await exchangeWithIdToken(({ nonce, provider }) => provider.idToken({ nonce }));
  assert.equal(agent.profile.sub, 'user-1');
});

test('an ES256 ID token verifies too', async () => {
  const agent = await exchangeWithIdToken(({ nonce, provider }) => provider.idToken({ nonce }, provider.esKey));
  assert.equal(agent.profile.sub, 'user-1');
});

test('an ID token signed by a key that is not the provider’s is a ProtocolError', async () => {
  const impostor = await signingKey('RS256', 'rs-1');
  await assert.rejects(
    exchangeWithIdToken(({ nonce, provider }) => provider.idToken({ nonce }, impostor)),
    isProtocol('invalid_signature'),
  );
});

test('an ID token with a tampered payload is a ProtocolError', async () => {
  await assert.rejects(
    exchangeWithIdToken(async ({ nonce, provider }) => {
      const [h, , s] = (await provider.idToken({ nonce })).split('.');
      const payload = Buffer.from(
        JSON.stringify({ iss: provider.issuer, sub: 'admin', aud: provider.clientId, nonce, iat: provider.clock(), exp: provider.clock() + 60 }),
      ).toString('base64url');
      return `${h}.${payload}.${s}`;
    }),
    isProtocol('invalid_signature'),
  );
});

test('an unsigned (alg none) ID token is refused', async () => {
  await assert.rejects(
    exchangeWithIdToken(async ({ nonce, provider }) => {
      const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = provider.clock();
      return `${enc({ alg: 'none' })}.${enc({ iss: provider.issuer, sub: 'user-1', aud: provider.clientId, nonce, iat: now, exp: now + 60 })}.`;
    }),
    (e: unknown) => e instanceof ProtocolError,
  );
});

for (const [name, claims, claim] of [
  ['wrong issuer', { iss: 'https://evil.test' }, 'iss'],
  ['wrong audience', { aud: 'another-client' }, 'aud'],
  ['wrong azp', { azp: 'another-client' }, 'azp'],
  ['another audience alongside ours without azp', { aud: ['client-1', 'another-client'] as string[], azp: undefined }, 'aud'],
  ['wrong nonce', { nonce: 'replayed' }, 'nonce'],
  ['an at_hash of another access token', { at_hash: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'at_hash'],
] as const) {
  test(`an ID token with ${name} is a ProtocolError`, async () => {
    await assert.rejects(
      exchangeWithIdToken(({ nonce, provider }) => provider.idToken({ nonce, ...claims })),
      (e: unknown) => e instanceof ProtocolError && (e.claim === claim || e.code === 'issuer_mismatch'),
    );
  });
}

test('an ID token without the nonce is a ProtocolError', async () => {
  await assert.rejects(
    exchangeWithIdToken(({ provider }) => provider.idToken({})),
    (e: unknown) => e instanceof ProtocolError,
  );
});

test('an expired ID token is a ProtocolError; within the clock skew it passes', async () => {
  await assert.rejects(
    exchangeWithIdToken(({ nonce, provider }) => provider.idToken({ nonce, iat: provider.clock() - 3600, exp: provider.clock() - 60 })),
    isProtocol('timestamp_check_failed'),
  );
  const agent = await exchangeWithIdToken(({ nonce, provider }) => provider.idToken({ nonce, iat: provider.clock() - 600, exp: provider.clock() - 10 }));
  assert.equal(agent.profile.sub, 'user-1');
});

test('an ID token issued in the future (beyond the skew) is a ProtocolError', async () => {
  await assert.rejects(
    exchangeWithIdToken(({ nonce, provider }) => provider.idToken({ nonce, iat: provider.clock() + 600, exp: provider.clock() + 4000 })),
    (e: unknown) => e instanceof ProtocolError,
  );
});

test('a token response without an ID token is a ProtocolError', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  provider.intercept = async (r) => (r.path === '/oauth/token' ? tokenResponse({ access_token: 'at', token_type: 'Bearer', expires_in: 900 }) : undefined);
  await assert.rejects(idp.exchangeCode(callback, a), (e: unknown) => e instanceof ProtocolError);
});

test('with maxAge, an ID token whose auth_time is too old is a ProtocolError', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl({ maxAge: 60 });
  const respondWith = (authTime: number) => {
    provider.intercept = async (r) =>
      r.path === '/oauth/token'
        ? tokenResponse({
            access_token: 'at',
            token_type: 'Bearer',
            expires_in: 900,
            id_token: await provider.idToken({ nonce: a.nonce, auth_time: authTime }),
          })
        : undefined;
  };
  respondWith(provider.clock() - 600);
  await assert.rejects(idp.exchangeCode(provider.authorize(a.url), { ...a, maxAge: 60 }), isProtocol('timestamp_check_failed'));
  respondWith(provider.clock() - 10);
  assert.equal((await idp.exchangeCode(provider.authorize(a.url), { ...a, maxAge: 60 })).profile.sub, 'user-1');
});

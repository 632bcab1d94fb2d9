import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BearerTokenError, createResourceServer } from '../src/index.js';
import { FakeProvider, signingKey } from './helpers/fake-provider.js';

async function setupRs(audience: string | string[] = 'https://api.test') {
  const provider = await FakeProvider.create();
  const rs = createResourceServer({ issuerUrl: provider.issuer, audience, fetch: provider.fetch, clock: provider.clock });
  return { provider, rs };
}

const bearer = (token: string) => new Request('https://api.test/payments', { headers: { authorization: `Bearer ${token}` } });

function rejectsWith(status: number, error: string | undefined, header: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof BearerTokenError, `expected BearerTokenError, got ${String(e)}`);
    assert.equal(e.status, status);
    assert.equal(e.error, error);
    assert.match(e.wwwAuthenticate, header);
    return true;
  };
}

test('a valid access token in a Request verifies and returns its claims', async () => {
  const { provider, rs } = await setupRs();
  const claims = await rs.verify(bearer(await provider.accessToken()), { scopes: ['payments'] });
  assert.equal(claims.sub, 'user-1');
  assert.equal(claims.client_id, provider.clientId);
  assert.equal(claims.iss, provider.issuer);
  assert.equal(claims.scope, 'openid payments');
});

test('the token may also come from Node-style headers, a header value, or the bare token', async () => {
  const { provider, rs } = await setupRs();
  const token = await provider.accessToken();
  assert.equal((await rs.verify({ headers: { authorization: `Bearer ${token}` } })).sub, 'user-1');
  assert.equal((await rs.verify(`bearer ${token}`)).sub, 'user-1');
  assert.equal((await rs.verify(token)).sub, 'user-1');
});

test('one of several accepted audiences is enough', async () => {
  const { provider, rs } = await setupRs(['https://other.test', 'https://api.test']);
  assert.equal((await rs.verify(await provider.accessToken())).sub, 'user-1');
});

test('no token at all is 401 with a bare Bearer challenge (RFC 6750 §3.1)', async () => {
  const { rs } = await setupRs();
  await assert.rejects(rs.verify(new Request('https://api.test/')), rejectsWith(401, undefined, /^Bearer$/));
  await assert.rejects(rs.verify({ headers: {} }), rejectsWith(401, undefined, /^Bearer$/));
  await assert.rejects(rs.verify({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }), rejectsWith(401, undefined, /^Bearer$/));
});

test('a malformed Authorization header is 400 invalid_request', async () => {
  const { rs } = await setupRs();
  await assert.rejects(rs.verify({ headers: { authorization: 'Bearer a b' } }), rejectsWith(400, 'invalid_request', /error="invalid_request"/));
  await assert.rejects(rs.verify({ headers: { authorization: 'Bearer' } }), rejectsWith(400, 'invalid_request', /error="invalid_request"/));
});

for (const [name, make] of [
  ['an ID token (typ JWT) used as an access token', (p: FakeProvider) => p.idToken()],
  ['a token with typ "JWT"', (p: FakeProvider) => p.accessToken({}, { typ: 'JWT' })],
  ['a token without typ', (p: FakeProvider) => p.accessToken({}, { typ: undefined })],
  ['a token for another audience', (p: FakeProvider) => p.accessToken({ aud: 'https://other.test' })],
  ['a token from another issuer', (p: FakeProvider) => p.accessToken({ iss: 'https://evil.test' })],
  ['a token without client_id', (p: FakeProvider) => p.accessToken({ client_id: undefined })],
  ['a token without jti', (p: FakeProvider) => p.accessToken({ jti: undefined })],
  ['a token issued in the future', (p: FakeProvider) => p.accessToken({ iat: p.clock() + 600, exp: p.clock() + 1200 })],
  ['a token signed by an unknown key', async (p: FakeProvider) => p.accessToken({}, {}, await signingKey('ES256', 'es-1'))],
  ['garbage', async () => 'not.a.jwt'],
] as const) {
  test(`${name} is 401 invalid_token`, async () => {
    const { provider, rs } = await setupRs();
    const token = await make(provider);
    await assert.rejects(
      rs.verify(bearer(token)),
      rejectsWith(401, 'invalid_token', /^Bearer error="invalid_token", error_description="The access token is invalid"$/),
    );
  });
}

test('an expired token is 401 invalid_token "expired" (after the clock skew)', async () => {
  const { provider, rs } = await setupRs();
  const token = await provider.accessToken();
  provider.clock.advance(provider.accessTokenTtl + 10);
  assert.equal((await rs.verify(token)).sub, 'user-1', 'within the 30 s skew');
  provider.clock.advance(30);
  await assert.rejects(rs.verify(token), rejectsWith(401, 'invalid_token', /error_description="The access token expired"/));
});

test('a missing scope is 403 insufficient_scope naming the required scopes', async () => {
  const { provider, rs } = await setupRs();
  const token = await provider.accessToken({ scope: 'openid profile' });
  await assert.rejects(
    rs.verify(bearer(token), { scopes: ['payments', 'refunds'] }),
    rejectsWith(403, 'insufficient_scope', /^Bearer error="insufficient_scope", error_description="[^"]+", scope="payments refunds"$/),
  );
  const partial = await provider.accessToken({ scope: 'payments' });
  await assert.rejects(rs.verify(bearer(partial), { scopes: ['payments', 'refunds'] }), rejectsWith(403, 'insufficient_scope', /scope=/));
  const prefix = await provider.accessToken({ scope: 'payments:read' });
  await assert.rejects(rs.verify(bearer(prefix), { scopes: ['payments'] }), rejectsWith(403, 'insufficient_scope', /scope=/));
});

test('realm is included when configured, and toResponse builds the error response', async () => {
  const provider = await FakeProvider.create();
  const rs = createResourceServer({
    issuerUrl: provider.issuer,
    audience: 'https://api.test',
    fetch: provider.fetch,
    clock: provider.clock,
    realm: 'payments "api"',
  });
  const error = await rs.verify({ headers: {} }).catch((e: unknown) => e);
  assert.ok(error instanceof BearerTokenError);
  assert.equal(error.wwwAuthenticate, 'Bearer realm="payments \\"api\\""');
  const missing = error.toResponse();
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('www-authenticate'), error.wwwAuthenticate);
  assert.equal(await missing.text(), '');
  const scoped = await rs.verify(await provider.accessToken({ scope: 'x' }), { scopes: ['payments'] }).catch((e: unknown) => e);
  assert.ok(scoped instanceof BearerTokenError);
  const response = scoped.toResponse();
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await response.json(), { error: 'insufficient_scope', error_description: 'The access token lacks a required scope' });
});

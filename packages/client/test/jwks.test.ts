import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BearerTokenError, JWKS_COOLDOWN_SECONDS, JWKS_MAX_AGE_SECONDS, NetworkError, createResourceServer } from '../src/index.js';
import { FakeProvider, signingKey } from './helpers/fake-provider.js';
import { setup, signIn } from './helpers/setup.js';

const JWKS = '/.well-known/jwks.json';

async function resourceServer() {
  const provider = await FakeProvider.create();
  const rs = createResourceServer({ issuerUrl: provider.issuer, audience: 'https://api.test', fetch: provider.fetch, clock: provider.clock });
  return { provider, rs };
}

test('the JWKS is fetched once and reused for known keys', async () => {
  const { provider, rs } = await resourceServer();
  for (let i = 0; i < 3; i++) await rs.verify(await provider.accessToken());
  assert.equal(provider.count(JWKS), 1);
  assert.equal(provider.count('/.well-known/openid-configuration'), 1);
});

test('a rotated-in key is picked up by one refetch on its unknown kid', async () => {
  const { provider, rs } = await resourceServer();
  await rs.verify(await provider.accessToken());
  provider.clock.advance(JWKS_COOLDOWN_SECONDS);
  const next = await signingKey('ES256', 'es-2');
  provider.published = [...provider.published, next.jwk];
  const claims = await rs.verify(await provider.accessToken({}, {}, next));
  assert.equal(claims.sub, 'user-1');
  assert.equal(provider.count(JWKS), 2);
});

test('unknown kids cannot make it hammer the JWKS endpoint: one refetch per cool-down', async () => {
  const { provider, rs } = await resourceServer();
  await rs.verify(await provider.accessToken());
  provider.clock.advance(JWKS_COOLDOWN_SECONDS);
  const stranger = await signingKey('ES256', 'nobody');
  const forged = await provider.accessToken({}, {}, stranger);
  const attempts = await Promise.allSettled(Array.from({ length: 5 }, () => rs.verify(forged)));
  assert.ok(attempts.every((a) => a.status === 'rejected' && a.reason instanceof BearerTokenError && a.reason.status === 401));
  assert.equal(provider.count(JWKS), 2, 'concurrent unknown kids share one refetch');
  for (let i = 0; i < 10; i++) await assert.rejects(rs.verify(forged), BearerTokenError);
  provider.clock.advance(JWKS_COOLDOWN_SECONDS - 1);
  await assert.rejects(rs.verify(forged), BearerTokenError);
  assert.equal(provider.count(JWKS), 2, 'still in the cool-down');
  provider.clock.advance(1);
  await assert.rejects(rs.verify(forged), BearerTokenError);
  assert.equal(provider.count(JWKS), 3, 'one more refetch after the cool-down');
});

test('keys are refetched after their max age, and stale keys are kept if that fetch fails', async () => {
  const { provider, rs } = await resourceServer();
  await rs.verify(await provider.accessToken());
  provider.clock.advance(JWKS_MAX_AGE_SECONDS);
  await rs.verify(await provider.accessToken());
  assert.equal(provider.count(JWKS), 2);
  provider.clock.advance(JWKS_MAX_AGE_SECONDS);
  provider.intercept = (r) => (r.path === JWKS ? new Response('down', { status: 503 }) : undefined);
  const claims = await rs.verify(await provider.accessToken());
  assert.equal(claims.sub, 'user-1');
  assert.equal(provider.count(JWKS), 3);
});

test('a JWKS that cannot be fetched at all is a NetworkError, not a 401', async () => {
  const { provider, rs } = await resourceServer();
  provider.intercept = (r) => {
    if (r.path === JWKS) throw new TypeError('connection refused');
    return undefined;
  };
  await assert.rejects(rs.verify(await provider.accessToken()), NetworkError);
});

test('ID token verification also refetches the JWKS once on a rotated key', async () => {
  const { provider, idp } = await setup();
  await signIn(provider, idp);
  assert.equal(provider.count(JWKS), 1);
  provider.clock.advance(JWKS_COOLDOWN_SECONDS);
  const next = await signingKey('RS256', 'rs-2');
  provider.published = [next.jwk, provider.esKey.jwk];
  const original = provider.idToken.bind(provider);
  provider.idToken = (claims = {}, _key, header) => original(claims, next, header);
  const agent = await signIn(provider, idp);
  assert.equal(agent.profile.sub, 'user-1');
  assert.equal(provider.count(JWKS), 2);
});

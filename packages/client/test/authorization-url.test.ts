import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { IdpClient, NetworkError, ProtocolError } from '../src/index.js';
import { setup } from './helpers/setup.js';

test('the authorization URL carries code flow, PKCE S256, state, nonce and scopes', async () => {
  const { provider, idp } = await setup();
  const { url, codeVerifier, state, nonce } = await idp.createAuthorizationUrl({ scopes: ['openid', 'profile', 'email'] });
  const parsed = new URL(url);
  assert.equal(`${parsed.origin}${parsed.pathname}`, `${provider.issuer}/oauth/authorize`);
  const q = parsed.searchParams;
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('client_id'), provider.clientId);
  assert.equal(q.get('redirect_uri'), provider.redirectUri);
  assert.equal(q.get('scope'), 'openid profile email');
  assert.equal(q.get('state'), state);
  assert.equal(q.get('nonce'), nonce);
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.equal(q.get('code_challenge'), createHash('sha256').update(codeVerifier).digest('base64url'));
  assert.match(codeVerifier, /^[A-Za-z0-9_-]{43,128}$/);
  for (const absent of ['prompt', 'login_hint', 'max_age', 'acr_values', 'resource']) assert.equal(q.has(absent), false, absent);
});

test('each authorization URL has its own verifier, state and nonce', async () => {
  const { idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const b = await idp.createAuthorizationUrl();
  assert.notEqual(a.codeVerifier, b.codeVerifier);
  assert.notEqual(a.state, b.state);
  assert.notEqual(a.nonce, b.nonce);
  assert.equal(new URL(a.url).searchParams.get('scope'), 'openid profile email');
});

test('prompt, login_hint, max_age, acr_values and resource indicators are passed through', async () => {
  const { idp } = await setup();
  const { url } = await idp.createAuthorizationUrl({
    scopes: ['openid'],
    prompt: 'login',
    loginHint: 'ada@example.com',
    maxAge: 300,
    acrValues: ['urn:gatehouse:acr:2fa', 'urn:gatehouse:acr:1fa'],
    resource: ['https://api.test', 'https://billing.test'],
  });
  const q = new URL(url).searchParams;
  assert.equal(q.get('prompt'), 'login');
  assert.equal(q.get('login_hint'), 'ada@example.com');
  assert.equal(q.get('max_age'), '300');
  assert.equal(q.get('acr_values'), 'urn:gatehouse:acr:2fa urn:gatehouse:acr:1fa');
  assert.deepEqual(q.getAll('resource'), ['https://api.test', 'https://billing.test']);
});

test('scopes without openid are refused (an agent is a signed-in user)', async () => {
  const { idp } = await setup();
  await assert.rejects(idp.createAuthorizationUrl({ scopes: ['payments'] }), TypeError);
});

test('discovery is fetched once and cached', async () => {
  const { provider, idp } = await setup();
  await idp.createAuthorizationUrl();
  await idp.createAuthorizationUrl();
  await idp.discover();
  assert.equal(provider.count('/.well-known/openid-configuration'), 1);
});

test('a failed discovery is not cached', async () => {
  const { provider, idp } = await setup();
  provider.down = true;
  await assert.rejects(idp.createAuthorizationUrl(), NetworkError);
  provider.down = false;
  await idp.createAuthorizationUrl();
  assert.equal(provider.count('/.well-known/openid-configuration'), 2);
});

test('discovery for another issuer is a ProtocolError', async () => {
  const { provider } = await setup();
  provider.metadataOverrides = { issuer: 'https://evil.test' };
  const idp = new IdpClient({ issuerUrl: provider.issuer, clientId: 'c', redirectUri: provider.redirectUri, fetch: provider.fetch });
  await assert.rejects(idp.createAuthorizationUrl(), (e: unknown) => e instanceof ProtocolError && e.code === 'issuer_mismatch');
});

test('an http issuer is refused unless it is loopback', async () => {
  const { provider } = await setup();
  const remote = new IdpClient({ issuerUrl: 'http://idp.test', clientId: 'c', redirectUri: 'http://app.test/cb', fetch: provider.fetch });
  await assert.rejects(remote.discover(), (e: unknown) => e instanceof ProtocolError && /HTTPS/.test(e.message));
  assert.equal(provider.requests.length, 0, 'nothing was sent over http');
  let fetched = '';
  const local = new IdpClient({
    issuerUrl: 'http://localhost:3000',
    clientId: 'c',
    redirectUri: 'http://localhost:4000/cb',
    fetch: async (input) => {
      fetched = String(input instanceof Request ? input.url : input);
      return Response.json({ issuer: 'http://localhost:3000', authorization_endpoint: 'http://localhost:3000/oauth/authorize' });
    },
  });
  const { url } = await local.createAuthorizationUrl();
  assert.equal(fetched, 'http://localhost:3000/.well-known/openid-configuration');
  assert.ok(url.startsWith('http://localhost:3000/oauth/authorize?'));
});

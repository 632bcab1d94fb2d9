import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLIENT_TOKEN_MARGIN_SECONDS, IdpClient, OAuthResponseError } from '../src/index.js';
import { setup } from './helpers/setup.js';

const grants = (p: Awaited<ReturnType<typeof setup>>['provider']) =>
  p.requests.filter((r) => r.path === '/oauth/token' && r.form.get('grant_type') === 'client_credentials');

test('clientCredentials returns a token for the requested scopes and resource', async () => {
  const { provider, idp } = await setup();
  const m2m = await idp.clientCredentials({ scopes: ['payments'], resource: 'https://billing.test' });
  assert.equal(m2m.tokenType, 'Bearer');
  assert.equal(m2m.scope, 'payments');
  assert.equal(m2m.expiresAt, provider.clock() + provider.accessTokenTtl);
  assert.deepEqual(Object.keys(m2m).sort(), ['accessToken', 'expiresAt', 'scope', 'tokenType']);
  const request = grants(provider)[0];
  assert.equal(request?.form.get('scope'), 'payments');
  assert.equal(request?.form.get('resource'), 'https://billing.test');
  assert.match(request?.headers.get('authorization') ?? '', /^Basic /);
});

test('clientCredentials caches per scope set and resource until shortly before expiry', async () => {
  const { provider, idp } = await setup();
  const a = await idp.clientCredentials({ scopes: ['payments', 'refunds'] });
  const b = await idp.clientCredentials({ scopes: ['refunds', 'payments'] });
  assert.equal(b.accessToken, a.accessToken, 'same scope set in another order');
  assert.equal(grants(provider).length, 1);
  await idp.clientCredentials({ scopes: ['payments'] });
  await idp.clientCredentials({ scopes: ['payments', 'refunds'], resource: 'https://billing.test' });
  assert.equal(grants(provider).length, 3, 'other scope set, other resource: other tokens');
  provider.clock.advance(provider.accessTokenTtl - CLIENT_TOKEN_MARGIN_SECONDS - 1);
  assert.equal((await idp.clientCredentials({ scopes: ['payments', 'refunds'] })).accessToken, a.accessToken);
  provider.clock.advance(1);
  const c = await idp.clientCredentials({ scopes: ['payments', 'refunds'] });
  assert.notEqual(c.accessToken, a.accessToken);
  assert.equal(grants(provider).length, 4);
});

test('concurrent clientCredentials calls share one request; a failure is not cached', async () => {
  const { provider, idp } = await setup();
  provider.tokenDelayMs = 20;
  const tokens = await Promise.all(Array.from({ length: 5 }, () => idp.clientCredentials({ scopes: ['payments'] })));
  assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
  assert.equal(grants(provider).length, 1);
  provider.intercept = (r) => (r.path === '/oauth/token' ? Response.json({ error: 'invalid_scope' }, { status: 400 }) : undefined);
  await assert.rejects(idp.clientCredentials({ scopes: ['admin'] }), (e: unknown) => e instanceof OAuthResponseError && e.error === 'invalid_scope');
  provider.intercept = undefined;
  await idp.clientCredentials({ scopes: ['admin'] });
  assert.equal(grants(provider).length, 3);
});

test('a cached token is a copy: changing it does not change the cache', async () => {
  const { idp } = await setup();
  const a = await idp.clientCredentials({ scopes: ['payments'] });
  const original = a.accessToken;
  a.accessToken = 'tampered';
  assert.equal((await idp.clientCredentials({ scopes: ['payments'] })).accessToken, original);
});

test('clientCredentials needs a client secret', async () => {
  const { provider } = await setup();
  const publicClient = new IdpClient({ issuerUrl: provider.issuer, clientId: 'spa', redirectUri: provider.redirectUri, fetch: provider.fetch });
  await assert.rejects(publicClient.clientCredentials({ scopes: ['payments'] }), TypeError);
});

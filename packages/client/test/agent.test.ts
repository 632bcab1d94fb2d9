import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatehouseError, MissingScopeError, NetworkError, OAuthResponseError, REFRESH_WINDOW_SECONDS, type TokenSet } from '../src/index.js';
import type { FakeProvider } from './helpers/fake-provider.js';
import { setup, signIn } from './helpers/setup.js';

const API = 'https://api.test/orders';

/** Makes the fake API answer: 200 for the current access token, 401 otherwise. */
function serveApi(provider: FakeProvider, valid: () => string | undefined) {
  const seen: string[] = [];
  provider.intercept = (r) => {
    if (!r.path.startsWith('/orders')) return undefined;
    const token = (r.headers.get('authorization') ?? '').replace(/^Bearer /, '');
    seen.push(token);
    return token === valid() ? Response.json({ orders: [] }) : new Response(null, { status: 401 });
  };
  return seen;
}

const refreshes = (p: FakeProvider) => p.requests.filter((r) => r.path === '/oauth/token' && r.form.get('grant_type') === 'refresh_token');

test('agent.fetch sends the access token as a Bearer header and keeps the request', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  const seen = serveApi(provider, () => agent.tokens.accessToken);
  const response = await agent.fetch(API, { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(response.status, 200);
  assert.deepEqual(seen, [agent.tokens.accessToken]);
  const sent = provider.requests.at(-1);
  assert.equal(sent?.method, 'POST');
  assert.equal(sent?.form.get('x'), '1');
  assert.equal(refreshes(provider).length, 0);
});

test('createAgent refreshes a token about to expire and hands the rotated tokens to onRefresh', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  provider.clock.advance(provider.accessTokenTtl - REFRESH_WINDOW_SECONDS + 1);
  const persisted: TokenSet[] = [];
  const agent = await idp.createAgent(stored, { onRefresh: (t) => void persisted.push(t) });
  assert.equal(refreshes(provider).length, 1);
  assert.equal(refreshes(provider)[0]?.form.get('refresh_token'), stored.refreshToken);
  assert.equal(persisted.length, 1);
  assert.deepEqual(persisted[0], agent.tokens);
  assert.notEqual(agent.tokens.refreshToken, stored.refreshToken, 'rotated');
  assert.notEqual(agent.tokens.accessToken, stored.accessToken);
  assert.equal(agent.tokens.expiresAt, provider.clock() + provider.accessTokenTtl);
  assert.equal(agent.profile.sub, 'user-1');
});

test('createAgent with a fresh token does not refresh; agent.fetch refreshes once the token ages', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  let persisted: TokenSet | undefined;
  const agent = await idp.createAgent(stored, {
    onRefresh: (t) => {
      persisted = t;
    },
  });
  assert.equal(refreshes(provider).length, 0);
  serveApi(provider, () => agent.tokens.accessToken);
  provider.clock.advance(provider.accessTokenTtl);
  assert.equal((await agent.fetch(API)).status, 200);
  assert.equal(refreshes(provider).length, 1);
  assert.equal(persisted?.refreshToken, agent.tokens.refreshToken);
});

test('single flight: 10 concurrent fetches with an expired token make exactly one refresh', async () => {
  const { provider, idp } = await setup();
  let calls = 0;
  const agent = await idp.createAgent((await signIn(provider, idp)).tokens, { onRefresh: () => void calls++ });
  serveApi(provider, () => agent.tokens.accessToken);
  provider.clock.advance(provider.accessTokenTtl + 60);
  provider.tokenDelayMs = 20;
  const responses = await Promise.all(Array.from({ length: 10 }, () => agent.fetch(API)));
  assert.ok(responses.every((r) => r.status === 200));
  assert.equal(refreshes(provider).length, 1, 'one refresh for the ten calls');
  assert.equal(calls, 1);
  provider.clock.advance(provider.accessTokenTtl + 60);
  await Promise.all(Array.from({ length: 10 }, () => agent.fetch(API)));
  assert.equal(refreshes(provider).length, 2);
  const used = refreshes(provider).map((r) => r.form.get('refresh_token'));
  assert.equal(new Set(used).size, used.length, 'never the same refresh token twice');
});
test('two agents built from the same stored tokens do not spend the refresh token twice', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  provider.clock.advance(provider.accessTokenTtl);
  provider.tokenDelayMs = 20;
  const [a, b] = await Promise.all([idp.createAgent(stored), idp.createAgent(stored)]);
  assert.equal(refreshes(provider).length, 1);
  assert.deepEqual(a.tokens, b.tokens);
  // A late request that still holds the old session gets the same rotation, not invalid_grant.
  const c = await idp.createAgent(stored);
  assert.deepEqual(c.tokens, a.tokens);
  assert.equal(refreshes(provider).length, 1);
});

test('a 401 from the API triggers one refresh and one retry, not a loop', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  const first = agent.tokens.accessToken;
  const seen = serveApi(provider, () => 'the API accepts nothing');
  const response = await agent.fetch(API);
  assert.equal(response.status, 401);
  assert.equal(refreshes(provider).length, 1);
  assert.equal(seen.length, 2);
  assert.equal(seen[0], first);
  assert.equal(seen[1], agent.tokens.accessToken);
  assert.notEqual(seen[1], first);
});
test('a 401 answered by the refreshed token succeeds', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  const first = agent.tokens.accessToken;
  const seen = serveApi(provider, () => (agent.tokens.accessToken === first ? 'server-revoked-it' : agent.tokens.accessToken));
  const response = await agent.fetch(API);
  assert.equal(response.status, 200);
  assert.equal(refreshes(provider).length, 1);
  assert.deepEqual(seen, [first, agent.tokens.accessToken]);
});

test('a token refreshed just before the call is not refreshed again on 401', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  serveApi(provider, () => 'the API accepts nothing');
  provider.clock.advance(provider.accessTokenTtl);
  assert.equal((await agent.fetch(API)).status, 401);
  assert.equal(refreshes(provider).length, 1);
});

test('a 5xx from the token endpoint during refresh may be retried with the same refresh token', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  provider.clock.advance(provider.accessTokenTtl);
  provider.intercept = (r) => (r.path === '/oauth/token' ? new Response('busy', { status: 503 }) : undefined);
  await assert.rejects(idp.createAgent(stored), (e: unknown) => e instanceof GatehouseError && !(e instanceof OAuthResponseError));
  provider.intercept = undefined;
  const agent = await idp.createAgent(stored);
  assert.notEqual(agent.tokens.refreshToken, stored.refreshToken);
  assert.equal(refreshes(provider).length, 2);
});

test('concurrent 401s share one refresh', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  const first = agent.tokens.accessToken;
  serveApi(provider, () => (agent.tokens.accessToken === first ? 'server-revoked-it' : agent.tokens.accessToken));
  provider.tokenDelayMs = 20;
  const responses = await Promise.all(Array.from({ length: 5 }, () => agent.fetch(API)));
  assert.ok(responses.every((r) => r.status === 200));
  assert.equal(refreshes(provider).length, 1);
});

test('invalid_grant on refresh calls onRefreshError, throws, and never retries the dead grant', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  const agent = await idp.createAgent(stored);
  await agent.refresh(); // spends stored.refreshToken
  // Past the in-process memory of that refresh (REFRESH_MEMORY_SECONDS), as in another process.
  provider.clock.advance(provider.accessTokenTtl);
  const errors: Error[] = [];
  let refreshed = 0;
  const options = { onRefresh: () => void refreshed++, onRefreshError: (e: Error) => void errors.push(e) };
  // A stale copy of the session that still holds the spent refresh token.
  const stale = await idp.createAgent({ ...stored, expiresAt: provider.clock() + 3600 }, options);
  const before = refreshes(provider).length;
  await assert.rejects(stale.refresh(), (e: unknown) => e instanceof OAuthResponseError && e.error === 'invalid_grant');
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof OAuthResponseError);
  assert.equal(refreshed, 0);
  await assert.rejects(stale.refresh(), OAuthResponseError);
  serveApi(provider, () => 'none');
  await assert.rejects(stale.fetch(API), OAuthResponseError);
  assert.equal(refreshes(provider).length, before + 1, 'the dead grant is not retried');
});

test('createAgent throws after onRefreshError when the stored grant is gone', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  provider.intercept = (r) =>
    r.path === '/oauth/token' ? Response.json({ error: 'invalid_grant', error_description: 'grant revoked' }, { status: 400 }) : undefined;
  provider.clock.advance(provider.accessTokenTtl);
  let called = 0;
  await assert.rejects(
    idp.createAgent(stored, { onRefreshError: () => void called++ }),
    (e: unknown) => e instanceof OAuthResponseError && e.error === 'invalid_grant' && e.status === 400,
  );
  assert.equal(called, 1);
});

test('a network failure during refresh is a NetworkError, without onRefreshError, and may be retried', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  provider.clock.advance(provider.accessTokenTtl);
  provider.down = true;
  let called = 0;
  await assert.rejects(idp.createAgent(stored, { onRefreshError: () => void called++ }), NetworkError);
  assert.equal(called, 0);
  provider.down = false;
  const agent = await idp.createAgent(stored);
  assert.notEqual(agent.tokens.refreshToken, stored.refreshToken);
});

const WITH_ORGANIZATIONS = ['openid', 'email', 'organizations'];

test('a refresh with a new ID token updates the profile (e.g. organizations)', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp, WITH_ORGANIZATIONS);
  assert.equal(agent.hasAccessIn('org_1', 'write', 'projects'), false, 'no organizations claim');
  provider.extraIdTokenClaims = { organizations: [{ id: 'org_1', roles: ['admin'], permissions: ['write:projects', 'read:billing'] }] };
  await agent.refresh();
  assert.equal(agent.hasAccessIn('org_1', 'write', 'projects'), true);
  assert.equal(agent.hasAccessIn('org_1', 'read', 'billing'), true);
  assert.equal(agent.hasAccessIn('org_1', 'write', 'billing'), false);
  assert.equal(agent.hasAccessIn('org_2', 'write', 'projects'), false);
});

test('hasAccessIn is false for a malformed organizations claim', async () => {
  const { provider, idp } = await setup();
  for (const organizations of ['org_1', [{ id: 'org_1', permissions: 'write:projects' }], [null], [{ permissions: ['write:projects'] }]]) {
    provider.extraIdTokenClaims = { organizations };
    const agent = await signIn(provider, idp, WITH_ORGANIZATIONS);
    assert.equal(agent.hasAccessIn('org_1', 'write', 'projects'), false, JSON.stringify(organizations));
  }
});

test('hasAccessIn throws MissingScopeError, not false, for tokens issued without the organizations scope', async () => {
  const { provider, idp } = await setup();
  provider.extraIdTokenClaims = { organizations: [{ id: 'org_1', permissions: ['write:projects'] }] };
  const agent = await signIn(provider, idp);
  assert.throws(
    () => agent.hasAccessIn('org_1', 'write', 'projects'),
    (error: unknown) => error instanceof MissingScopeError && error.scope === 'organizations' && /organizations/.test(error.message),
  );
});

test('a refreshed ID token for another user is refused', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  provider.intercept = async (r) =>
    r.path === '/oauth/token'
      ? Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 900, refresh_token: 'rt', id_token: await provider.idToken({ sub: 'user-2' }) })
      : undefined;
  await assert.rejects(agent.refresh(), (e: unknown) => e instanceof GatehouseError && /subject/.test(e.message));
  assert.equal(agent.profile.sub, 'user-1');
});
test('createAgent checks the stored tokens it is given', async () => {
  const { provider, idp } = await setup();
  const stored = (await signIn(provider, idp)).tokens;
  await assert.rejects(idp.createAgent({ ...stored, accessToken: '' }), TypeError);
  await assert.rejects(idp.createAgent({ ...stored, idToken: undefined }), TypeError);
  await assert.rejects(idp.createAgent({ ...stored, idToken: 'nope' }), TypeError);
  await assert.rejects(idp.createAgent(null as unknown as TokenSet), TypeError);
});

test('without a refresh token an expiring agent keeps its token and does not call the provider', async () => {
  const { provider, idp } = await setup();
  const { refreshToken: _, ...stored } = (await signIn(provider, idp)).tokens;
  provider.clock.advance(provider.accessTokenTtl);
  const agent = await idp.createAgent(stored);
  serveApi(provider, () => 'none');
  assert.equal((await agent.fetch(API)).status, 401);
  assert.equal(refreshes(provider).length, 0);
});

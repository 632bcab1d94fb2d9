// The SDK's per-organization checks against a real, in-process Gatehouse: the organizations
// claim the server issues is what agent.hasAccessIn reads, and a refresh brings membership
// changes made by the operator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../../server/test/helpers/harness.js';
import { inProcessBrowser, runFlow } from '../../server/test/helpers/flow.js';
import { IdpClient, MissingScopeError } from '../src/index.js';

let ctx: TestContext;
const REDIRECT_URI = 'https://example-business.com/api/auth/callback/gatehouse';
const SCOPES = ['openid', 'email', 'organizations'];

/** The app's fetch, answered by the in-process Gatehouse. */
async function gatehouse(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return ctx.app.fetch(new Request(input, init));
}

before(async () => {
  ctx = await createTestContext();
});
after(async () => {
  await ctx.close();
});

test('agent.hasAccessIn is true exactly for the permissions Gatehouse grants, and follows changes at refresh', async () => {
  const repos = ctx.scope.repos;
  await repos.organizations.create({ id: 'acme', name: 'Acme' });
  await repos.organizations.create({ id: 'initech', name: 'Initech' });
  await repos.organizationRoles.set('acme', 'admin', ['write:projects', 'read:billing']);
  await repos.organizationRoles.set('initech', 'viewer', ['read:projects']);
  const user = await createTestUser(ctx);
  await ctx.scope.transaction((r) => r.memberships.add('acme', user.id, ['admin']));

  const { client, secret } = await createTestClient(ctx, { redirectUris: [REDIRECT_URI], scopes: SCOPES });
  const idp = new IdpClient({
    issuerUrl: ctx.config.issuer,
    clientId: client.id,
    clientSecret: secret as string,
    redirectUri: REDIRECT_URI,
    fetch: gatehouse,
    clock: ctx.clock,
  });
  const request = await idp.createAuthorizationUrl({ scopes: SCOPES });
  const result = await runFlow(inProcessBrowser(ctx), request.url, { email: user.email, approve: SCOPES });
  assert.ok(result.callback, 'redirected back with a code');
  const agent = await idp.exchangeCode(result.callback, request);

  assert.deepEqual(agent.profile.organizations, [{ id: 'acme', roles: ['admin'], permissions: ['read:billing', 'write:projects'] }]);
  assert.equal(agent.hasAccessIn('acme', 'write', 'projects'), true);
  assert.equal(agent.hasAccessIn('acme', 'read', 'billing'), true);
  assert.equal(agent.hasAccessIn('acme', 'delete', 'projects'), false, 'a permission no role grants');
  assert.equal(agent.hasAccessIn('initech', 'read', 'projects'), false, 'an organization the user is not in');

  // The operator suspends acme and adds the user to initech; the app sees it at the next refresh.
  await repos.organizations.setSuspended('acme', true);
  await ctx.scope.transaction((r) => r.memberships.add('initech', user.id, ['viewer']));
  assert.equal(agent.hasAccessIn('acme', 'write', 'projects'), true, 'until the refresh, the old ID token holds');
  await agent.refresh();
  assert.equal(agent.hasAccessIn('acme', 'write', 'projects'), false, 'suspended');
  assert.equal(agent.hasAccessIn('initech', 'read', 'projects'), true, 'added');

  // An agent rebuilt from stored tokens reads the same claim.
  const rebuilt = await idp.createAgent(agent.tokens);
  assert.equal(rebuilt.hasAccessIn('initech', 'read', 'projects'), true);
  assert.equal(rebuilt.hasAccessIn('initech', 'write', 'projects'), false);
});

test('without the organizations scope hasAccessIn throws MissingScopeError: the claim cannot answer', async () => {
  const user = await createTestUser(ctx);
  await ctx.scope.transaction((r) => r.memberships.add('initech', user.id, ['viewer']));
  const { client, secret } = await createTestClient(ctx, { redirectUris: [REDIRECT_URI], scopes: SCOPES });
  const idp = new IdpClient({
    issuerUrl: ctx.config.issuer,
    clientId: client.id,
    clientSecret: secret as string,
    redirectUri: REDIRECT_URI,
    fetch: gatehouse,
    clock: ctx.clock,
  });
  const request = await idp.createAuthorizationUrl({ scopes: ['openid', 'email'] });
  const result = await runFlow(inProcessBrowser(ctx), request.url, { email: user.email, approve: ['openid', 'email'] });
  assert.ok(result.callback);
  const agent = await idp.exchangeCode(result.callback, request);
  assert.equal(agent.profile.organizations, undefined);
  assert.throws(
    () => agent.hasAccessIn('initech', 'read', 'projects'),
    (error: unknown) => error instanceof MissingScopeError && error.scope === 'organizations',
  );
});

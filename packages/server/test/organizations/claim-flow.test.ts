import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { authorizeUrl, inProcessBrowser, runFlow, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, assertOAuthError, basic, json, postForm, refresh, userinfo } from '../helpers/oauth-requests.js';
import type { User } from '../../src/store/repos/users.js';
import { at } from '../helpers/prefix.js';

type Claim = { id: string; roles: string[]; permissions: string[] }[];

// The `organizations` claim end to end: what a sign-in with the scope carries, and that every
// membership change shows in the next refresh's ID token and in userinfo (the propagation contract).
describe('the organizations claim', () => {
  let ctx: TestContext;
  let client: Confidential;
  let user: User;

  before(async () => {
    ctx = await createTestContext();
    const made = await createTestClient(ctx, { scopes: ['openid', 'profile', 'email', 'organizations', 'payments'] });
    client = { id: made.client.id, secret: made.secret as string };
    user = await createTestUser(ctx);
    const repos = ctx.scope.repos;
    await repos.organizations.create({ id: 'acme', name: 'Acme' });
    await repos.organizations.create({ id: 'initech', name: 'Initech' });
    await repos.organizationRoles.set('acme', 'admin', ['write:projects', 'read:billing']);
    await repos.organizationRoles.set('acme', 'viewer', ['read:projects', 'read:billing']);
    await repos.organizationRoles.set('initech', 'accountant', ['read:billing', 'write:invoices']);
    await ctx.scope.transaction((r) => r.memberships.add('acme', user.id, ['admin']));
  });
  after(() => ctx.close());

  let refreshToken = '';
  let accessToken = '';

  /** Refreshes the current grant and returns the claim of the new ID token and of userinfo. */
  async function next(extra: Record<string, string> = {}): Promise<{ idToken: Claim | undefined; userinfo: Claim | undefined }> {
    const res = await refresh(ctx, basic(client), refreshToken, extra);
    assert.equal(res.status, 200, await res.clone().text());
    const tokens = await json(res);
    refreshToken = tokens.refresh_token as string;
    accessToken = tokens.access_token as string;
    const info = await userinfo(ctx, accessToken);
    assert.equal(info.status, 200);
    return {
      idToken: decodeJwt(tokens.id_token as string).organizations as Claim | undefined,
      userinfo: (await json(info)).organizations as Claim | undefined,
    };
  }

  function assertBoth(seen: { idToken: Claim | undefined; userinfo: Claim | undefined }, expected: Claim, why: string): void {
    assert.deepEqual(seen.idToken, expected, `ID token: ${why}`);
    assert.deepEqual(seen.userinfo, expected, `userinfo: ${why}`);
  }

  it('is in the ID token of the code exchange, not in the access token', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email organizations' });
    const idToken = decodeJwt(tokens.id_token as string);
    assert.deepEqual(idToken.organizations, [{ id: 'acme', roles: ['admin'], permissions: ['read:billing', 'write:projects'] }]);
    assert.equal(decodeJwt(tokens.access_token as string).organizations, undefined, 'access tokens carry no profile claims');
    refreshToken = tokens.refresh_token as string;
  });

  it('follows every membership change at the next refresh and userinfo call', async () => {
    const repos = ctx.scope.repos;
    const acmeAdmin = { id: 'acme', roles: ['admin'], permissions: ['read:billing', 'write:projects'] };
    assertBoth(await next(), [acmeAdmin], 'unchanged');

    await ctx.scope.transaction((r) => r.memberships.add('initech', user.id, ['accountant']));
    const initech = { id: 'initech', roles: ['accountant'], permissions: ['read:billing', 'write:invoices'] };
    assertBoth(await next(), [acmeAdmin, initech], 'added to initech');

    await ctx.scope.transaction((r) => r.memberships.setRoles('acme', user.id, ['viewer', 'admin']));
    const acmeBoth = { id: 'acme', roles: ['admin', 'viewer'], permissions: ['read:billing', 'read:projects', 'write:projects'] };
    assertBoth(await next(), [acmeBoth, initech], 'role added: permissions are the union, sorted, without duplicates');

    await ctx.scope.transaction((r) => r.memberships.setRoles('acme', user.id, ['viewer']));
    const acmeViewer = { id: 'acme', roles: ['viewer'], permissions: ['read:billing', 'read:projects'] };
    assertBoth(await next(), [acmeViewer, initech], 'role changed');

    await repos.organizationRoles.set('acme', 'viewer', ['read:projects']);
    assertBoth(await next(), [{ id: 'acme', roles: ['viewer'], permissions: ['read:projects'] }, initech], "the role's permissions replaced");

    await repos.organizations.setSuspended('acme', true);
    assertBoth(await next(), [initech], 'acme suspended');
    await repos.organizations.setSuspended('acme', false);
    assertBoth(await next(), [{ id: 'acme', roles: ['viewer'], permissions: ['read:projects'] }, initech], 'acme resumed');

    assert.equal(await repos.memberships.remove('initech', user.id), true);
    assertBoth(await next(), [{ id: 'acme', roles: ['viewer'], permissions: ['read:projects'] }], 'removed from initech');

    assert.equal(await repos.memberships.remove('acme', user.id), true);
    assertBoth(await next(), [], 'no memberships left: an empty list, not a missing claim');
  });

  it('reaches userinfo at once, before any refresh', async () => {
    await ctx.scope.transaction((r) => r.memberships.add('initech', user.id, []));
    const res = await userinfo(ctx, accessToken);
    assert.deepEqual((await json(res)).organizations, [{ id: 'initech', roles: [], permissions: [] }]);
    await ctx.scope.repos.memberships.remove('initech', user.id);
  });

  it('is left out when a refresh narrows the scope without organizations', async () => {
    const narrowed = await next({ scope: 'openid email' });
    assert.equal(narrowed.idToken, undefined);
    assert.equal(narrowed.userinfo, undefined);
  });

  it('is never issued without the organizations scope, even to a member', async () => {
    await ctx.scope.transaction((r) => r.memberships.add('acme', user.id, ['admin']));
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid profile email' });
    const idToken = decodeJwt(tokens.id_token as string);
    assert.equal('organizations' in idToken, false);
    const refreshed = await json(await refresh(ctx, basic(client), tokens.refresh_token as string));
    assert.equal('organizations' in decodeJwt(refreshed.id_token as string), false);
    const info = await json(await userinfo(ctx, refreshed.access_token as string));
    assert.equal('organizations' in info, false);
    assert.equal(info.email, user.email);
  });

  it('is asked for in plain words on the consent page', async () => {
    const browser = inProcessBrowser(ctx);
    const other = await createTestUser(ctx);
    const { url } = authorizeUrl(client.id, { scope: 'openid organizations' });
    const { page } = await runFlow(browser, url, { email: other.email });
    assert.ok(page, 'the consent page is shown');
    assert.match(page.html, /See which organizations you belong to and your roles and permissions in them/);
  });

  it('is a user scope: client_credentials cannot have it', async () => {
    await assertOAuthError(
      await postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials', scope: 'organizations' }, basic(client)),
      400,
      'invalid_scope',
    );
  });
});

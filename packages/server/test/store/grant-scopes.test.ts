import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { removeScopesFromGrants } from '../../src/services/grant-scopes.js';
import { type TestContext, createTestClient, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import type { Grant } from '../../src/store/repos/grants.js';

// Per-scope revocation's repository code, on both backends: a grant's scope narrowed by
// compare-and-set with its event in the same transaction, the remembered consent narrowed, and
// neither reaching another issuer's rows.
describe('repositories: narrowing a grant and its consent', () => {
  let ctx: TestContext;
  let beta: IssuerScope;
  before(async () => {
    ctx = await createTestContext();
    beta = await secondIssuer(ctx, 'narrow-beta');
  });
  after(() => ctx.close());

  async function grantOf(scope = 'openid profile email'): Promise<{ grant: Grant; userId: string; clientId: string }> {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const grant = await ctx.scope.repos.grants.create({ clientId: client.id, userId: user.id, scope, sid: null, authTime: null, resource: null }, 3600);
    return { grant, userId: user.id, clientId: client.id };
  }

  it('narrows a live grant and records grant.scope_removed with it', async () => {
    const { grant, userId, clientId } = await grantOf();
    assert.equal(await ctx.scope.repos.grants.narrowScope(grant, ['openid', 'profile'], ['email'], 'user'), true);
    assert.equal((await ctx.scope.repos.grants.findActive(grant.id))?.scope, 'openid profile');
    const [event] = await ctx.scope.repos.events.list({ type: 'grant.scope_removed', userId });
    assert.deepEqual(event?.payload, { grant_id: grant.id, removed: ['email'], scope: 'openid profile', by: 'user' });
    assert.equal(event?.clientId, clientId);
  });

  it('compare-and-set: a grant changed since it was read is not written, so a removed scope never comes back', async () => {
    const { grant, userId } = await grantOf();
    // Two removals read the same row; the first wins, the second sees a changed scope.
    assert.equal(await ctx.scope.repos.grants.narrowScope(grant, ['openid', 'profile'], ['email'], 'user'), true);
    assert.equal(await ctx.scope.repos.grants.narrowScope(grant, ['openid', 'email'], ['profile'], 'user'), false);
    assert.equal((await ctx.scope.repos.grants.findActive(grant.id))?.scope, 'openid profile', 'email stays removed');
    assert.equal((await ctx.scope.repos.events.list({ type: 'grant.scope_removed', userId })).length, 1, 'no event for what was not written');

    // The service reads the grant again and removes from what it holds now.
    const outcome = await ctx.scope.transaction((repos) => removeScopesFromGrants(repos, { userId, clientId: grant.clientId }, [grant], ['profile'], 'admin'));
    assert.equal(outcome, 'narrowed');
    assert.equal((await ctx.scope.repos.grants.findActive(grant.id))?.scope, 'openid');
  });

  it('does not narrow a revoked or expired grant', async () => {
    const revoked = await grantOf();
    await ctx.scope.repos.grants.revoke(revoked.grant.id, 'revoked_by_user');
    assert.equal(await ctx.scope.repos.grants.narrowScope(revoked.grant, ['openid'], ['profile', 'email'], 'user'), false);
    const expired = await grantOf();
    ctx.clock.advance(3601);
    assert.equal(await ctx.scope.repos.grants.narrowScope(expired.grant, ['openid'], ['profile', 'email'], 'user'), false);
  });

  it('forgets only the removed scopes of a consent', async () => {
    const { userId, clientId } = await grantOf();
    await ctx.scope.repos.consents.add(userId, clientId, ['openid', 'profile', 'email']);
    await ctx.scope.repos.consents.removeScopes(userId, clientId, ['email', 'kyc']);
    assert.deepEqual(await ctx.scope.repos.consents.find(userId, clientId), ['openid', 'profile']);
    await ctx.scope.repos.consents.removeScopes(userId, clientId, ['nothing-held']);
    assert.deepEqual(await ctx.scope.repos.consents.find(userId, clientId), ['openid', 'profile']);
  });

  it('is per issuer: another issuer’s repositories neither narrow the grant nor its consent', async () => {
    const { grant, userId, clientId } = await grantOf();
    await ctx.scope.repos.consents.add(userId, clientId, ['openid', 'profile', 'email']);
    assert.equal(await beta.repos.grants.narrowScope(grant, ['openid'], ['profile', 'email'], 'admin'), false);
    await beta.repos.consents.removeScopes(userId, clientId, ['email']);
    assert.equal((await ctx.scope.repos.grants.findActive(grant.id))?.scope, 'openid profile email');
    assert.deepEqual(await ctx.scope.repos.consents.find(userId, clientId), ['openid', 'profile', 'email']);
    assert.equal((await beta.repos.events.list({ type: 'grant.scope_removed' })).length, 0);
  });
});

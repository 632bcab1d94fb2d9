import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

// The refresh grant and userinfo read a grant and its user in one statement (one round trip on
// PostgreSQL); these pin what that statement lets through.
describe('grants read with their user', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  async function userGrant(): Promise<{ grantId: string; userId: string }> {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const grant = await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: user.id, scope: 'openid email', sid: null, authTime: null, resource: null },
      3600,
    );
    return { grantId: grant.id, userId: user.id };
  }

  it('returns the live grant with its whole user, disabled or not', async () => {
    const { grantId, userId } = await userGrant();
    const found = await ctx.scope.repos.grants.findActiveWithUser(grantId);
    assert.equal(found?.grant.id, grantId);
    assert.deepEqual(found?.user, await ctx.scope.repos.users.findById(userId));

    await ctx.scope.repos.users.setDisabled(userId, true);
    const disabled = await ctx.scope.repos.grants.findActiveWithUserForAccessToken(grantId, 'some-jti');
    assert.equal(disabled?.user.disabled, true, 'the caller decides about disabled users');
    assert.equal(disabled?.grant.userId, userId);
  });

  it('finds nothing for a revoked or expired grant, a revoked token, or a grant without a user', async () => {
    const revoked = await userGrant();
    await ctx.scope.repos.grants.revoke(revoked.grantId, 'revoked_by_client');
    assert.equal(await ctx.scope.repos.grants.findActiveWithUser(revoked.grantId), undefined);
    assert.equal(await ctx.scope.repos.grants.findActiveWithUserForAccessToken(revoked.grantId, 'jti-1'), undefined);

    const live = await userGrant();
    await ctx.scope.repos.accessTokenRevocations.revoke('jti-2', ctx.clock() + 600);
    assert.equal(await ctx.scope.repos.grants.findActiveWithUserForAccessToken(live.grantId, 'jti-2'), undefined);
    assert.ok(await ctx.scope.repos.grants.findActiveWithUserForAccessToken(live.grantId, 'jti-3'));

    ctx.clock.advance(3601);
    assert.equal(await ctx.scope.repos.grants.findActiveWithUser(live.grantId), undefined);

    const { client } = await createTestClient(ctx);
    const machine = await ctx.scope.repos.grants.create({ clientId: client.id, userId: null, scope: 'api', sid: null, authTime: null, resource: null }, 3600);
    assert.equal(await ctx.scope.repos.grants.findActiveWithUser(machine.id), undefined);
  });
});

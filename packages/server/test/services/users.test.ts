import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/auth/password.js';
import { ServiceError } from '../../src/services/errors.js';
import { createUser, disableUser, enableUser, replacePassword, setPassword } from '../../src/services/users.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

describe('the users service', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  async function userWithSessionAndGrant(): Promise<{ user: Awaited<ReturnType<typeof createTestUser>>; cookie: string; grantId: string }> {
    const user = await createTestUser(ctx);
    const { client } = await createTestClient(ctx);
    const { cookieValue } = await ctx.scope.repos.sessions.create(user.id, 3600);
    const grant = await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: user.id, scope: 'openid', sid: null, authTime: null, resource: null },
      3600,
    );
    return { user, cookie: cookieValue, grantId: grant.id };
  }

  it('disables a user, signs it out everywhere and ends its grants, with their events', async () => {
    const { user, cookie, grantId } = await userWithSessionAndGrant();
    assert.equal(await disableUser(ctx.scope, user), 1);
    assert.equal((await ctx.scope.repos.users.findById(user.id))?.disabled, true);
    assert.equal(await ctx.scope.repos.sessions.findByCookie(cookie), undefined);
    assert.equal(await ctx.scope.repos.grants.findActive(grantId), undefined);
    const types = (await ctx.scope.repos.events.list({ userId: user.id })).map((e) => e.type);
    assert.deepEqual(types.slice(0, 3).sort(), ['grant.revoked', 'session.ended', 'user.disabled']);
    await enableUser(ctx.scope, user);
    assert.equal((await ctx.scope.repos.users.findById(user.id))?.disabled, false);
    assert.equal(await ctx.scope.repos.grants.findActive(grantId), undefined, 'grants stay revoked');
  });

  it('replaces a password, signing out everywhere, and revokes grants only when asked', async () => {
    const { user, cookie, grantId } = await userWithSessionAndGrant();
    assert.equal(await replacePassword(ctx.scope, user, await hashPassword('another long password')), 0);
    assert.equal(await ctx.scope.repos.sessions.findByCookie(cookie), undefined);
    assert.ok(await ctx.scope.repos.grants.findActive(grantId));
    assert.equal(await replacePassword(ctx.scope, user, await hashPassword('a third long password'), { revokeGrants: true }), 1);
    assert.equal(await ctx.scope.repos.grants.findActive(grantId), undefined);
  });

  it('creates users by its own rules, refusing bad input and a taken email with typed errors naming the field', async () => {
    const created = await createUser(ctx.scope, { email: ' Svc@Example.com ', name: ' Svc ' }, 'a long enough password');
    assert.deepEqual([created.email, created.name], ['svc@example.com', 'Svc']);
    const refusal = (code: string, field: string) => (e: unknown) => e instanceof ServiceError && e.code === code && e.field === field;
    await assert.rejects(createUser(ctx.scope, { email: 'no-at-sign' }, null), refusal('invalid', 'email'));
    await assert.rejects(createUser(ctx.scope, { email: 'x@example.com', givenName: 'a\nb' }, null), refusal('invalid', 'givenName'));
    await assert.rejects(createUser(ctx.scope, { email: 'x@example.com' }, 'short'), refusal('invalid', 'password'));
    await assert.rejects(createUser(ctx.scope, { email: 'svc@example.com' }, null), refusal('conflict', 'email'));
  });

  it('sets a password given in clear by the same rule, refusing a short one before anything changes', async () => {
    const { user, cookie } = await userWithSessionAndGrant();
    await assert.rejects(setPassword(ctx.scope, user, 'short'), (e: unknown) => e instanceof ServiceError && e.code === 'invalid' && e.field === 'password');
    assert.ok(await ctx.scope.repos.sessions.findByCookie(cookie), 'nothing changed');
    assert.equal(await setPassword(ctx.scope, user, 'a different long password'), 0);
    assert.equal(await ctx.scope.repos.sessions.findByCookie(cookie), undefined);
  });
});

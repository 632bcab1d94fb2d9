import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LoginThrottle } from '../../src/auth/throttle.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';

// A login reads the account and both throttle counters in one statement; these pin what it reads.
describe('login lookup', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('finds the account by email, whatever its case and surrounding spaces, with the counts of its two keys', async () => {
    const user = await createTestUser(ctx, 'grace@example.com');
    await ctx.scope.repos.rateLimits.hit('acct-a', 900);
    await ctx.scope.repos.rateLimits.hit('acct-a', 900);
    await ctx.scope.repos.rateLimits.hit('addr-a', 900);
    const found = await ctx.scope.repos.users.findForLogin('  Grace@Example.COM ', { account: 'acct-a', address: 'addr-a' }, ctx.clock() - 900);
    assert.deepEqual(found, { user: await ctx.scope.repos.users.findById(user.id), accountFailures: 2, addressFailures: 1 });
  });

  it('counts failures for an unknown email too, and none outside the window', async () => {
    await ctx.scope.repos.rateLimits.hit('acct-b', 900);
    const unknown = await ctx.scope.repos.users.findForLogin('nobody@example.com', { account: 'acct-b', address: 'addr-none' }, ctx.clock() - 900);
    assert.deepEqual(unknown, { user: undefined, accountFailures: 1, addressFailures: 0 });
    ctx.clock.advance(901);
    const later = await ctx.scope.repos.users.findForLogin('nobody@example.com', { account: 'acct-b', address: 'addr-none' }, ctx.clock() - 900);
    assert.equal(later.accountFailures, 0);
  });

  it('blocks an address after five times the per-account allowance, across accounts', async () => {
    const throttle = new LoginThrottle(ctx.scope);
    const max = ctx.config.login.maxFailures;
    for (let i = 0; i < max * 5 - 1; i++) await throttle.failed(`someone-${i}@example.com`, '203.0.113.9');
    assert.equal((await throttle.check('fresh@example.com', '203.0.113.9')).blocked, false);
    await throttle.failed('one-more@example.com', '203.0.113.9');
    assert.equal((await throttle.check('fresh@example.com', '203.0.113.9')).blocked, true);
    assert.equal((await throttle.check('fresh@example.com', '198.51.100.1')).blocked, false, 'another address is not');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LoginThrottle } from '../../src/auth/throttle.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';

const keys = (name: string): { account: string; address: string; pair: string } => ({ account: `acct-${name}`, address: `addr-${name}`, pair: `pair-${name}` });

// A login reserves its password check and reads the account in one statement on PostgreSQL;
// these pin what it counts and reads.
describe('login lookup and reservation', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('finds the account by email, whatever its case and surrounding spaces, counting this attempt on each key', async () => {
    const user = await createTestUser(ctx, 'grace@example.com');
    await ctx.scope.repos.rateLimits.hit('acct-a', 900);
    await ctx.scope.repos.rateLimits.hit('acct-a', 900);
    await ctx.scope.repos.rateLimits.hit('addr-a', 900);
    const found = await ctx.scope.repos.loginAttempts.reserve('  Grace@Example.COM ', keys('a'), 'mac-a', 900);
    assert.deepEqual(found, { user: await ctx.scope.repos.users.findById(user.id), knownAddress: false, counts: { account: 3, address: 2, pair: 1 } });
  });

  it('counts for an unknown email too, and starts again after the window', async () => {
    const first = await ctx.scope.repos.loginAttempts.reserve('nobody@example.com', keys('b'), 'mac', 900);
    assert.deepEqual(first, { user: undefined, knownAddress: false, counts: { account: 1, address: 1, pair: 1 } });
    assert.equal((await ctx.scope.repos.loginAttempts.reserve('nobody@example.com', keys('b'), 'mac', 900)).counts.account, 2);
    ctx.clock.advance(901);
    assert.deepEqual((await ctx.scope.repos.loginAttempts.reserve('nobody@example.com', keys('b'), 'mac', 900)).counts, { account: 1, address: 1, pair: 1 });
  });

  it('a success gives the attempt back and clears the pair; the address is known from then on', async () => {
    const user = await createTestUser(ctx);
    for (let i = 0; i < 3; i++) await ctx.scope.repos.loginAttempts.reserve(user.email, keys('c'), 'mac-c', 900);
    await ctx.scope.repos.loginAttempts.succeeded(keys('c'), user.id, 'mac-c', false);
    assert.deepEqual(await ctx.scope.repos.loginAttempts.counts(keys('c'), 900), { account: 2, address: 2, pair: 0 });
    assert.deepEqual(await ctx.scope.repos.loginAttempts.knownAddresses(user.id), ['mac-c']);
    assert.equal((await ctx.scope.repos.loginAttempts.reserve(user.email, keys('c'), 'mac-c', 900)).knownAddress, true);
    assert.equal((await ctx.scope.repos.loginAttempts.reserve(user.email, keys('c'), 'mac-other', 900)).knownAddress, false);
    await ctx.scope.repos.loginAttempts.cancel(keys('c'));
    assert.deepEqual(await ctx.scope.repos.loginAttempts.counts(keys('c'), 900), { account: 3, address: 3, pair: 1 });
  });

  it('blocks an address after five times the per-pair allowance, across accounts', async () => {
    const throttle = new LoginThrottle(ctx.scope);
    const max = ctx.config.login.maxFailures;
    for (let i = 0; i < max * 5 - 1; i++) assert.equal((await throttle.reserve(`someone-${i}@example.com`, '203.0.113.9')).refused, undefined);
    assert.equal((await throttle.reserve('fresh@example.com', '203.0.113.9')).refused, undefined, 'the last one allowed');
    assert.equal((await throttle.reserve('fresh-too@example.com', '203.0.113.9')).refused, 'address');
    assert.equal((await throttle.reserve('fresh@example.com', '198.51.100.1')).refused, undefined, 'another address is not');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';

// The abuse repositories (migration 030) read and write only their own issuer's rows, on both
// backends: a spent proof-of-work solution, and a mailed sign-in code.
describe('abuse repositories: two issuers', () => {
  let ctx: TestContext;
  let beta: IssuerScope;
  before(async () => {
    ctx = await createTestContext();
    beta = await secondIssuer(ctx, 'abusebeta');
  });
  after(() => ctx.close());

  it('a challenge spent at one issuer is not spent at the other, and each is single use', async () => {
    const expires = ctx.clock() + 600;
    assert.equal(await ctx.scope.repos.spentChallenges.spend('c'.repeat(64), expires), true);
    assert.equal(await ctx.scope.repos.spentChallenges.spend('c'.repeat(64), expires), false, 'twice at the same issuer');
    assert.equal(await beta.repos.spentChallenges.isSpent('c'.repeat(64)), false);
    assert.equal(await beta.repos.spentChallenges.spend('c'.repeat(64), expires), true, 'its own row at the other issuer');
    ctx.clock.advance(601);
    assert.equal(await beta.repos.spentChallenges.sweep(), 1, 'the sweep removes only its own issuer’s expired rows');
    assert.equal(await ctx.scope.repos.spentChallenges.isSpent('c'.repeat(64)), true);
  });

  it('a code stored at one issuer is neither seen nor consumed at the other; it expires and is used once', async () => {
    const alpha = await createTestUser(ctx);
    const id = 'interaction-1';
    await ctx.scope.repos.emailCodes.put(id, alpha.id, 'hash-1', 600);
    assert.equal(await beta.repos.emailCodes.has(id), false);
    assert.equal(await beta.repos.emailCodes.consume(id, 'hash-1'), undefined);
    await beta.repos.emailCodes.discard(id);
    assert.equal(await ctx.scope.repos.emailCodes.has(id), true, 'the other issuer’s discard left it');
    assert.equal(await ctx.scope.repos.emailCodes.consume(id, 'wrong'), undefined);
    // A new code replaces the old one.
    await ctx.scope.repos.emailCodes.put(id, alpha.id, 'hash-2', 600);
    assert.equal(await ctx.scope.repos.emailCodes.consume(id, 'hash-1'), undefined);
    assert.equal(await ctx.scope.repos.emailCodes.consume(id, 'hash-2'), alpha.id);
    assert.equal(await ctx.scope.repos.emailCodes.consume(id, 'hash-2'), undefined, 'once');
    await ctx.scope.repos.emailCodes.put(id, alpha.id, 'hash-3', 600);
    ctx.clock.advance(601);
    assert.equal(await ctx.scope.repos.emailCodes.consume(id, 'hash-3'), undefined, 'expired');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runMaintenance } from '../../src/maintenance.js';
import { sha256 } from '../../src/tokens/random.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';

// The password-reset token store, on whichever backend runs the suite: hashes only, one use,
// a lifetime, and a sweep.
describe('password reset tokens', () => {
  let ctx: TestContext;
  let userId: string;

  before(async () => {
    ctx = await createTestContext();
    userId = (await createTestUser(ctx)).id;
  });
  after(() => ctx.close());

  it('stores only the SHA-256 of a 256-bit token', async () => {
    const token = await ctx.scope.repos.passwordResets.create(userId, 1800);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const rows = await ctx.services.store.db.selectFrom('password_resets').selectAll().where('user_id', '=', userId).execute();
    assert.ok(rows.some((r) => r.id === sha256(token)));
    assert.ok(rows.every((r) => r.id !== token));
  });

  it('is spent exactly once under 50 concurrent attempts', async () => {
    const token = await ctx.scope.repos.passwordResets.create(userId, 1800);
    const results = await Promise.all(Array.from({ length: 50 }, () => ctx.scope.transaction((repos) => repos.passwordResets.spend(token))));
    assert.deepEqual(
      results.filter((r) => r !== undefined),
      [userId],
    );
    assert.equal(await ctx.scope.repos.passwordResets.findUserId(token), undefined);
  });

  it("spending one spends every pending token of the same user, and no one else's", async () => {
    const other = (await createTestUser(ctx)).id;
    const [a, b, theirs] = await Promise.all([
      ctx.scope.repos.passwordResets.create(userId, 1800),
      ctx.scope.repos.passwordResets.create(userId, 1800),
      ctx.scope.repos.passwordResets.create(other, 1800),
    ]);
    assert.equal(await ctx.scope.repos.passwordResets.spend(a), userId);
    assert.equal(await ctx.scope.repos.passwordResets.spend(b), undefined);
    assert.equal(await ctx.scope.repos.passwordResets.findUserId(theirs), other);
  });

  it('expires after its lifetime, and maintenance removes it a day later', async () => {
    const token = await ctx.scope.repos.passwordResets.create(userId, 1800);
    ctx.clock.advance(1799);
    assert.equal(await ctx.scope.repos.passwordResets.findUserId(token), userId);
    ctx.clock.advance(1);
    assert.equal(await ctx.scope.repos.passwordResets.findUserId(token), undefined);
    assert.equal(await ctx.scope.repos.passwordResets.spend(token), undefined);
    const count = async (): Promise<number> =>
      (await ctx.services.store.db.selectFrom('password_resets').select('id').where('id', '=', sha256(token)).execute()).length;
    await runMaintenance(ctx.services);
    assert.equal(await count(), 1, 'kept through the grace period');
    ctx.clock.advance(24 * 3600 + 1);
    await runMaintenance(ctx.services);
    assert.equal(await count(), 0);
  });

  it('goes with its user', async () => {
    const doomed = await createTestUser(ctx);
    const token = await ctx.scope.repos.passwordResets.create(doomed.id, 1800);
    await ctx.services.store.db.deleteFrom('users').where('id', '=', doomed.id).execute();
    assert.equal(await ctx.scope.repos.passwordResets.findUserId(token), undefined);
    assert.equal((await ctx.services.store.db.selectFrom('password_resets').select('id').where('user_id', '=', doomed.id).execute()).length, 0);
  });
});

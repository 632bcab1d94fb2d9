import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../../helpers/harness.js';

// The store contract of KeyStore.retire (issue 19) on both backends: the refusals, the claim,
// and the pending key it puts to signing in the same transaction.
describe('store contract: keys.retire', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());
  const keys = () => ctx.scope.keys;
  const of = async (alg: string) => (await keys().list()).filter((k) => k.alg === alg);

  it('refuses an unknown kid and the only signing key of its algorithm', async () => {
    assert.deepEqual(await keys().retire('no-such-kid'), { outcome: 'not_found' });
    const [only] = await of('ES256');
    assert.deepEqual(await keys().retire(only?.kid ?? ''), { outcome: 'only_key', alg: 'ES256' });
    assert.equal((await of('ES256'))[0]?.retiresAt, null);
  });

  it('refuses a pending key; retiring the signing one makes the pending one sign now', async () => {
    const [old] = await of('ES256');
    const next = await keys().rotate('ES256');
    assert.ok(old && next);
    assert.deepEqual(await keys().retire(next), { outcome: 'pending' });
    const now = ctx.clock();
    assert.deepEqual(await keys().retire(old.kid), { outcome: 'retired', alg: 'ES256', activated: next });
    const after = await of('ES256');
    const retired = after.find((k) => k.kid === old.kid);
    assert.equal(retired?.status, 'retired');
    assert.equal(retired?.retiresAt, now);
    assert.ok((retired?.expiresAt ?? 0) > now + ctx.config.accessTokenTtl - 1, 'published until its tokens expire');
    assert.deepEqual(
      after.filter((k) => k.kid === next).map((k) => [k.status, k.activatesAt]),
      [['signing', now]],
    );
    assert.equal((await keys().signingKey('ES256')).kid, next);
    assert.deepEqual(await keys().retire(old.kid), { outcome: 'already_retired' });
    const events = await ctx.scope.repos.events.list({ type: 'key.retired' });
    assert.equal(events.length, 1);
  });
});

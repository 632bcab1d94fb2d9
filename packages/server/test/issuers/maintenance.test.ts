import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIssuer } from '../../src/issuers/service.js';
import { runMaintenance } from '../../src/maintenance.js';
import { scopeOf } from '../../src/services.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

describe('maintenance of many issuers', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_KEY_ROTATION_DAYS: '1' });
    await createIssuer(ctx.services, { id: 'beta', name: 'Beta' });
  });
  after(() => ctx.close());

  it('rotates the keys that are due, of every issuer, and builds no scope for the others', async () => {
    await runMaintenance(ctx.services);
    const beta = await scopeOf(ctx.services, 'beta');
    assert.equal((await beta.keys.list()).length, 3, 'nothing due yet');
    ctx.clock.advance(86_400 + 1);
    await ctx.services.scopes.issuers.create({ id: 'idle', name: 'Idle, without keys' });
    ctx.services.scopes.invalidate();
    await runMaintenance(ctx.services);
    assert.equal((await ctx.scope.keys.list()).filter((k) => k.status === 'pending').length, 3);
    assert.equal((await beta.keys.list()).filter((k) => k.status === 'pending').length, 3);
    assert.equal(ctx.services.scopes.cachedCount, 2, 'only the two issuers with keys due were loaded');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { gatehouse, gatehouseJson } from '../helpers/cli-run.js';

describe('gatehouse webhook', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('creates an endpoint and prints its secret once; lists, rotates, replays and deletes it', async () => {
    const created = await gatehouse(ctx, ['webhook', 'create', '--url', 'https://hooks.example.com/in', '--events', 'grant.revoked,user.*']);
    assert.equal(created.code, 0, created.err);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(created.out)?.[0];
    const id = /webhook (wh_\S+)/.exec(created.out)?.[1];
    assert.ok(secret && id, created.out);
    const list = await gatehouse(ctx, ['webhook', 'list']);
    assert.match(list.out, new RegExp(`${id}\\s+https://hooks.example.com/in\\s+grant.revoked,user.\\*\\s+enabled`));
    assert.ok(!list.out.includes(secret));
    assert.ok(!JSON.stringify(await gatehouseJson(ctx, ['webhook', 'list'])).includes(secret));

    const rotated = await gatehouseJson<{ secret: string; previous_secret_expires_at: string }>(ctx, ['webhook', 'rotate-secret', id, '--overlap', '600']);
    assert.notEqual(rotated.secret, secret);
    // The command runs on the system clock: ten minutes from then.
    assert.ok(Date.parse(rotated.previous_secret_expires_at) > Date.parse(new Date(ctx.clock() * 1000).toISOString()));

    const user = await createTestUser(ctx);
    const [event] = await ctx.scope.repos.events.list({ type: 'user.created', userId: user.id });
    // Queued with the event: still pending, so a replay has nothing to do yet.
    assert.deepEqual(await gatehouseJson(ctx, ['webhook', 'replay', id, event?.id ?? '']), { id, event_id: event?.id, status: 'pending' });
    await ctx.services.store.db.deleteFrom('event_deliveries').where('consumer', '=', `webhook:${id}`).execute();
    const replayed = await gatehouse(ctx, ['webhook', 'replay', id, event?.id ?? '']);
    assert.equal(replayed.code, 0, replayed.err);
    assert.match(replayed.out, /Queued event/);
    assert.equal((await ctx.scope.repos.webhooks.queued(id)).length, 1);

    assert.equal((await gatehouse(ctx, ['webhook', 'delete', id])).code, 0);
    assert.equal((await ctx.scope.repos.webhooks.find(id)) ?? null, null);
    assert.equal((await ctx.scope.repos.webhooks.queued(id)).length, 0);
  });

  it('refuses a bad URL or event list with exit 2, a missing endpoint with exit 1', async () => {
    const bad = await gatehouse(ctx, ['webhook', 'create', '--url', 'https://169.254.169.254/', '--events', '*']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /private/);
    const typo = await gatehouse(ctx, ['webhook', 'create', '--url', 'https://hooks.example.com/', '--events', 'user.craeted']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /not an event type/);
    assert.equal((await gatehouse(ctx, ['webhook', 'create', '--events', '*'])).code, 2);
    assert.equal((await gatehouse(ctx, ['webhook', 'delete', 'wh_nope'])).code, 1);
    assert.equal((await gatehouse(ctx, ['webhook', 'rotate-secret', 'wh_nope', '--overlap', '99999999'])).code, 2);
  });
});

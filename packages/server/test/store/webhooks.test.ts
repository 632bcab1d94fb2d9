import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { endpointConsumer } from '../../src/store/repos/webhooks.js';
import { createWebhook } from '../../src/webhooks/service.js';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';

/** The event ids queued for an endpoint (its rows in event_deliveries). */
async function queuedFor(ctx: TestContext, endpointId: string): Promise<string[]> {
  const rows = await ctx.services.store.db.selectFrom('event_deliveries').select('event_id').where('consumer', '=', endpointConsumer(endpointId)).execute();
  return rows.map((r) => r.event_id);
}

describe('webhook endpoints repository', () => {
  let ctx: TestContext;
  let beta: IssuerScope;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: 'hooks.internal' });
    beta = await secondIssuer(ctx, 'beta');
  });
  after(() => ctx.close());

  it('keeps each issuer’s endpoints, log and replays to that issuer', async () => {
    const ours = await createWebhook(ctx.scope, { url: 'https://hooks.example.com/a', events: 'user.*' });
    const theirs = await createWebhook(beta, { url: 'https://hooks.example.com/b', events: 'user.*' });
    assert.equal((await ctx.scope.repos.webhooks.find(theirs.endpoint.id)) ?? null, null);
    assert.equal((await beta.repos.webhooks.find(ours.endpoint.id)) ?? null, null);
    assert.deepEqual(
      (await ctx.scope.repos.webhooks.page({ limit: 50 })).map((e) => e.id),
      [ours.endpoint.id],
    );
    assert.equal(await beta.repos.webhooks.update(ours.endpoint.id, { description: 'taken over' }), undefined);
    assert.equal(await beta.repos.webhooks.delete(ours.endpoint.id), false);
    assert.equal(await beta.repos.webhooks.rotate(ours.endpoint.id, 'x', null, null), false);
    assert.equal(await beta.repos.webhooks.disable(ours.endpoint.id, 'no'), false);
    assert.equal((await ctx.scope.repos.webhooks.find(ours.endpoint.id))?.enabled, true);

    await ctx.scope.repos.webhooks.logAttempt({
      endpointId: ours.endpoint.id,
      eventId: 'e1',
      eventType: 'user.created',
      attempt: 1,
      status: 204,
      latencyMs: 3,
      response: '',
      error: null,
    });
    assert.equal((await ctx.scope.repos.webhooks.attempts(ours.endpoint.id, { limit: 10 })).length, 1);
    assert.equal((await beta.repos.webhooks.attempts(ours.endpoint.id, { limit: 10 })).length, 0);

    // An event of ours cannot be replayed through the other issuer, not even to its own endpoint.
    const user = await createTestUser(ctx);
    const [event] = await ctx.scope.repos.events.list({ type: 'user.created', userId: user.id });
    assert.equal(await beta.repos.webhooks.replay(theirs.endpoint.id, event?.id ?? ''), 'unknown_event');
    assert.deepEqual(await queuedFor(ctx, theirs.endpoint.id), []);
    assert.deepEqual(await queuedFor(ctx, ours.endpoint.id), [event?.id]);
    assert.deepEqual(
      (await beta.repos.webhooks.queued(ours.endpoint.id)).map((q) => q.eventId),
      [],
    );
    // Deleting the issuer takes its endpoints with it (maintenance of every table).
    await ctx.scope.repos.webhooks.delete(ours.endpoint.id);
    assert.deepEqual(await queuedFor(ctx, ours.endpoint.id), []);
  });

  it('queues an event for every matching enabled endpoint in the event’s own statement, on the sign-in fast paths too', async () => {
    const sessions = await createWebhook(ctx.scope, { url: 'https://hooks.example.com/s', events: 'session.started,grant.created' });
    const prefix = await createWebhook(ctx.scope, { url: 'https://hooks.example.com/p', events: 'session.*' });
    const everything = await createWebhook(ctx.scope, { url: 'https://hooks.example.com/all', events: '*' });
    const off = await createWebhook(ctx.scope, { url: 'https://hooks.example.com/off', events: '*' });
    await ctx.scope.repos.webhooks.update(off.endpoint.id, { enabled: false });
    const { client, secret } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    await signInForTokens(ctx, { id: client.id, secret }, user.email);
    const started = await ctx.scope.repos.events.list({ type: 'session.started', userId: user.id });
    const granted = await ctx.scope.repos.events.list({ type: 'grant.created', userId: user.id });
    assert.equal(started.length, 1);
    assert.equal(granted.length, 1);
    const queued = new Set(await queuedFor(ctx, sessions.endpoint.id));
    assert.ok(queued.has(started[0]?.id ?? ''), 'session.started (the login commit)');
    assert.ok(queued.has(granted[0]?.id ?? ''), 'grant.created (the code exchange)');
    const prefixed = new Set(await queuedFor(ctx, prefix.endpoint.id));
    assert.ok(prefixed.has(started[0]?.id ?? ''));
    assert.ok(!prefixed.has(granted[0]?.id ?? ''));
    assert.ok((await queuedFor(ctx, everything.endpoint.id)).includes(granted[0]?.id ?? ''));
    const offQueue = await queuedFor(ctx, off.endpoint.id);
    assert.ok(!offQueue.includes(started[0]?.id ?? '') && !offQueue.includes(granted[0]?.id ?? ''), 'a disabled endpoint gets nothing');
    // Mail requests are not events for webhooks: `*` does not take them.
    await ctx.scope.repos.mailOutbox.enqueue('invitation', user.email);
    const [mail] = await ctx.scope.repos.events.list({ type: 'mail.requested' });
    assert.ok(mail);
    assert.ok(!(await queuedFor(ctx, everything.endpoint.id)).includes(mail.id));
  });

  it('refuses filters that match nothing and URLs webhooks may not reach', async () => {
    await assert.rejects(createWebhook(ctx.scope, { url: 'https://hooks.example.com/', events: 'user.craeted' }), /not an event type/);
    await assert.rejects(createWebhook(ctx.scope, { url: 'https://hooks.example.com/', events: 'nothing.*' }), /matches no event type/);
    await assert.rejects(createWebhook(ctx.scope, { url: 'https://hooks.example.com/', events: 'mail.requested' }), /not an event type/);
    await assert.rejects(createWebhook(ctx.scope, { url: 'https://hooks.example.com/', events: ' , ' }), /at least one/);
    await assert.rejects(createWebhook(ctx.scope, { url: 'http://hooks.example.com/', events: '*' }), /https/);
    await assert.rejects(createWebhook(ctx.scope, { url: 'https://10.0.0.1/', events: '*' }), /private/);
    await assert.rejects(createWebhook(ctx.scope, { url: 'https://[::ffff:169.254.169.254]/', events: '*' }), /private/);
    await assert.rejects(createWebhook(ctx.scope, { url: 'https://user:pw@hooks.example.com/', events: '*' }), /user name/);
    // An allowed host may be reached over plain http.
    const { endpoint } = await createWebhook(ctx.scope, { url: 'http://hooks.internal/x?token=receivers', events: 'grant.revoked, user.*, user.*' });
    assert.equal(endpoint.events, 'grant.revoked,user.*');
    // The audit log names the URL without its query: it may hold the receiver's own token.
    const [created] = await ctx.scope.repos.events.list({ type: 'webhook.endpoint_created' });
    assert.deepEqual(created?.payload, { endpoint_id: endpoint.id, url: 'http://hooks.internal/x', events: 'grant.revoked,user.*' });
  });
});

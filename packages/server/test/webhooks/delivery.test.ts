import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { WEBHOOK_TIMING } from '../../src/webhooks/dispatcher.js';
import { createWebhook, replayWebhook, testWebhook, updateWebhook } from '../../src/webhooks/service.js';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import { type Receiver, startReceiver } from './receiver.js';

describe('webhook delivery to a real receiver', () => {
  let ctx: TestContext;
  let receiver: Receiver;

  /** Delivers whatever is due now, and waits until the attempts are over. */
  const deliver = async (): Promise<void> => {
    ctx.services.webhooks.kick();
    await ctx.services.background.settled();
  };

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });
  // Each test's endpoints alone: the receiver's scripted answers go to whoever asks first.
  afterEach(async () => {
    for (const e of await ctx.scope.repos.webhooks.page({ limit: 100 })) await ctx.scope.repos.webhooks.delete(e.id);
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answers.length = 0;
    receiver.otherwise = { status: 204 };
  });

  async function endpoint(
    events: string,
    scope: IssuerScope = ctx.scope,
    path = `/hook/${Math.random()}`,
  ): Promise<{ id: string; secret: string; path: string }> {
    const { endpoint, secret } = await createWebhook(scope, { url: receiver.url(path), events });
    return { id: endpoint.id, secret, path };
  }

  const to = (path: string) => receiver.received.filter((r) => r.path === path);

  it('delivers an event once, signed as Standard Webhooks verify it, with the envelope docs/events.md describes', async () => {
    const hook = await endpoint('user.*');
    const user = await createTestUser(ctx);
    await deliver();
    const got = to(hook.path);
    assert.equal(got.length, 1);
    const [request] = got;
    assert.ok(request);
    const verified = new Webhook(hook.secret).verify(request.body, request.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
    assert.equal(verified.type, 'user.created');
    assert.equal(verified.data.user_id, user.id);
    assert.equal(verified.data.issuer, ctx.scope.url);
    assert.equal(verified.data.event_id, request.headers['webhook-id']);
    const [event] = await ctx.scope.repos.events.list({ type: 'user.created', userId: user.id });
    assert.equal(request.headers['webhook-id'], event?.id);
    assert.equal(verified.data.occurred_at, new Date((event?.occurredAt ?? 0) * 1000).toISOString());
    assert.equal(request.headers['content-type'], 'application/json');
    // Nothing more is due: a second run sends nothing again.
    await deliver();
    assert.equal(to(hook.path).length, 1);
    const log = await ctx.scope.repos.webhooks.attempts(hook.id, { limit: 10 });
    assert.deepEqual(
      log.map((a) => [a.eventType, a.status, a.attempt, a.error]),
      [['user.created', 204, 1, null]],
    );
  });

  it('gives events only to the endpoints whose filter matches them', async () => {
    const grants = await endpoint('grant.revoked');
    const users = await endpoint('user.created,user.disabled');
    const user = await createTestUser(ctx);
    await ctx.scope.repos.users.setDisabled(user.id, true);
    await deliver();
    assert.equal(to(grants.path).length, 0);
    assert.deepEqual(
      to(users.path).map((r) => (JSON.parse(r.body) as { type: string }).type),
      ['user.created', 'user.disabled'],
    );
  });

  it('retries a receiver that fails twice and delivers on the third try, with the same webhook-id', async () => {
    const hook = await endpoint('user.created');
    receiver.answers.push({ status: 500, body: 'down' }, { status: 503 });
    await createTestUser(ctx);
    await deliver();
    assert.equal(to(hook.path).length, 1);
    // Not due again until the back-off has passed.
    await deliver();
    assert.equal(to(hook.path).length, 1);
    ctx.clock.advance(WEBHOOK_TIMING.firstRetrySeconds);
    await deliver();
    assert.equal(to(hook.path).length, 2);
    ctx.clock.advance(WEBHOOK_TIMING.firstRetrySeconds);
    await deliver();
    assert.equal(to(hook.path).length, 2, 'the second retry waits twice as long');
    ctx.clock.advance(WEBHOOK_TIMING.firstRetrySeconds);
    await deliver();
    const got = to(hook.path);
    assert.equal(got.length, 3);
    assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1);
    const last = got[2];
    assert.ok(last);
    // The timestamp is the scope's clock (moved here), so the signature is checked with the library's own signer.
    const signer = new Webhook(hook.secret);
    const timestamp = Number(last.headers['webhook-timestamp']);
    assert.equal(timestamp, ctx.clock());
    assert.equal(last.headers['webhook-signature'], signer.sign(last.headers['webhook-id'] ?? '', new Date(timestamp * 1000), last.body));
    const log = await ctx.scope.repos.webhooks.attempts(hook.id, { limit: 10 });
    assert.deepEqual(
      log.map((a) => [a.attempt, a.status, a.response]),
      [
        [3, 204, ''],
        [2, 503, ''],
        [1, 500, 'down'],
      ],
    );
    assert.equal((await ctx.scope.repos.webhooks.queued(hook.id)).length, 0);
  });

  it('dead-letters a delivery whose receiver stays down past 24 hours, and replays it once the receiver is back', async () => {
    const hook = await endpoint('user.created');
    receiver.otherwise = { status: 502 };
    const user = await createTestUser(ctx);
    const started = ctx.clock();
    await deliver();
    for (let hour = 0; hour < 30; hour++) {
      ctx.clock.advance(3600);
      await deliver();
    }
    const [dead] = await ctx.scope.repos.webhooks.queued(hook.id);
    assert.ok(dead?.deadAt, 'a dead letter');
    assert.ok((dead.deadAt ?? 0) - started <= 24 * 3600, 'given up within the day');
    assert.match(dead.lastError ?? '', /502/);
    const attempts = to(hook.path).length;
    assert.ok(attempts > 10 && attempts < 40, `retried with back-off (${attempts} attempts)`);
    // Nothing more is tried on its own.
    ctx.clock.advance(86_400);
    await deliver();
    assert.equal(to(hook.path).length, attempts);

    // Failing for a whole day, the endpoint was disabled too (and said so in the audit log).
    const disabled = await ctx.scope.repos.webhooks.find(hook.id);
    assert.equal(disabled?.enabled, false);
    assert.equal(disabled?.disabledReason, 'failing for a day');
    const [noted] = await ctx.scope.repos.events.list({ type: 'webhook.endpoint_disabled' });
    assert.deepEqual(noted?.payload, { endpoint_id: hook.id, reason: 'failing for a day' });

    receiver.otherwise = { status: 200 };
    await updateWebhook(ctx.scope, hook.id, { enabled: true });
    const [event] = await ctx.scope.repos.events.list({ type: 'user.created', userId: user.id });
    assert.equal(await replayWebhook(ctx.scope, hook.id, event?.id ?? ''), 'queued');
    await deliver();
    assert.equal(to(hook.path).length, attempts + 1);
    assert.equal((await ctx.scope.repos.webhooks.queued(hook.id)).length, 0);
    // A delivered event can be replayed too: once more, with the same id.
    assert.equal(await replayWebhook(ctx.scope, hook.id, event?.id ?? ''), 'queued');
    await deliver();
    const got = to(hook.path);
    assert.equal(got.length, attempts + 2);
    assert.equal(got.at(-1)?.headers['webhook-id'], event?.id);
  });

  it('keeps at least once per endpoint: one endpoint failing neither holds up nor repeats another', async () => {
    const failing = await endpoint('user.created');
    const working = await endpoint('user.created');
    receiver.answers.push({ status: 500 });
    // The first request to arrive fails: which endpoint gets it depends on the order of delivery.
    await createTestUser(ctx);
    await deliver();
    ctx.clock.advance(WEBHOOK_TIMING.firstRetrySeconds);
    await deliver();
    assert.equal(to(failing.path).length + to(working.path).length, 3);
    const log = [
      ...(await ctx.scope.repos.webhooks.attempts(failing.id, { limit: 5 })),
      ...(await ctx.scope.repos.webhooks.attempts(working.id, { limit: 5 })),
    ];
    assert.equal(log.filter((a) => a.status === 204).length, 2, 'each endpoint got it once');
  });

  it('never gives an issuer’s events to another issuer’s endpoints', async () => {
    const beta = await secondIssuer(ctx, 'beta-hooks');
    const ours = await endpoint('*');
    const theirs = await endpoint('*', beta);
    await createTestUser(ctx);
    await beta.repos.users.create({ email: 'beta-user@example.com', passwordHash: null });
    await deliver();
    const mine = to(ours.path).map((r) => JSON.parse(r.body) as { data: { issuer_id: string } });
    const betas = to(theirs.path).map((r) => JSON.parse(r.body) as { data: { issuer_id: string } });
    assert.ok(mine.length > 0 && betas.length > 0);
    assert.ok(mine.every((e) => e.data.issuer_id === ctx.scope.id));
    assert.ok(betas.every((e) => e.data.issuer_id === 'beta-hooks'));
  });

  it('sends a webhook.test to the one endpoint asked, and nothing to a disabled endpoint', async () => {
    const hook = await endpoint('user.*');
    const other = await endpoint('user.*');
    const id = await testWebhook(ctx.scope, hook.id);
    await deliver();
    assert.deepEqual(
      to(hook.path).map((r) => [(JSON.parse(r.body) as { type: string }).type, r.headers['webhook-id']]),
      [['webhook.test', id]],
    );
    assert.equal(to(other.path).length, 0);

    await updateWebhook(ctx.scope, other.id, { enabled: false });
    await createTestUser(ctx);
    await deliver();
    assert.equal(to(other.path).length, 0);
  });
});

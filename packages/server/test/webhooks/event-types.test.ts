import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { EventType } from '../../src/events/catalog.js';
import { EVENT_SCHEMAS } from '../../src/events/schemas.js';
import { createWebhook } from '../../src/webhooks/service.js';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Receiver, startReceiver } from './receiver.js';

// Events recorded by the real changes, not made up: each arrives once per event id, signed, and
// its data matches the schema docs/events.md shows for its type.
describe('webhooks of the events real changes record', () => {
  let ctx: TestContext;
  let receiver: Receiver;
  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });

  it('delivers each once, signed, with a payload its schema accepts', async () => {
    const { secret } = await createWebhook(ctx.scope, { url: receiver.url('/all'), events: '*' });
    const user = await createTestUser(ctx);
    await ctx.scope.repos.users.update(user.id, { name: 'Ada King' });
    await ctx.scope.repos.users.setDisabled(user.id, true);
    await ctx.scope.repos.users.setDisabled(user.id, false);
    const { client, secret: clientSecret } = await createTestClient(ctx);
    await signInForTokens(ctx, { id: client.id, secret: clientSecret }, user.email);
    const org = await ctx.scope.repos.organizations.create({ name: 'Acme' });
    await ctx.scope.repos.organizations.rename(org.id, 'Acme Inc');
    await ctx.scope.repos.organizations.delete(org.id);
    await ctx.scope.repos.clients.delete(client.id);
    await ctx.scope.repos.users.delete(user.id);
    ctx.services.webhooks.kick();
    await ctx.services.background.settled();

    const wh = new Webhook(secret);
    const byId = new Map<string, number>();
    const types = new Set<string>();
    for (const request of receiver.received) {
      byId.set(request.headers['webhook-id'] ?? '', (byId.get(request.headers['webhook-id'] ?? '') ?? 0) + 1);
      const event = wh.verify(request.body, request.headers) as { type: EventType; data: Record<string, unknown> };
      types.add(event.type);
      const { issuer, issuer_id, event_id, occurred_at, user_id, client_id, ...payload } = event.data;
      assert.equal(issuer_id, ctx.scope.id);
      assert.equal(event_id, request.headers['webhook-id']);
      assert.ok(issuer && occurred_at && user_id !== undefined && client_id !== undefined);
      const schema = EVENT_SCHEMAS[event.type as keyof typeof EVENT_SCHEMAS];
      assert.ok(schema, event.type);
      assert.ok(schema.safeParse(payload).success, `${event.type}: ${JSON.stringify(payload)}`);
    }
    assert.ok(
      [...byId.values()].every((n) => n === 1),
      'each event once',
    );
    for (const expected of [
      'user.created',
      'user.updated',
      'user.disabled',
      'user.enabled',
      'user.deleted',
      'client.created',
      'client.deleted',
      'session.started',
      'consent.granted',
      'grant.created',
      'organization.created',
      'organization.updated',
      'organization.deleted',
    ]) {
      assert.ok(types.has(expected), `${expected} arrived (got ${[...types].join(', ')})`);
    }
  });
});

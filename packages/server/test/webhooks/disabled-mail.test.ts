import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DISABLE_AFTER_SECONDS } from '../../src/webhooks/dispatcher.js';
import { createWebhook } from '../../src/webhooks/service.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';
import { until } from '../helpers/wait.js';
import { type Receiver, startReceiver } from './receiver.js';

describe('an endpoint failing for a day', () => {
  let ctx: TestContext;
  let sink: SmtpSink;
  let receiver: Receiver;
  before(async () => {
    sink = await startSmtpSink();
    receiver = await startReceiver();
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
  });
  after(async () => {
    await ctx.close();
    await receiver.close();
    await sink.close();
  });

  it('is disabled, its owners mailed once, and its remaining deliveries set aside', async () => {
    const owner = await createTestUser(ctx, 'owner-hooks@example.com');
    await ctx.scope.repos.adminRoles.set(owner.id, 'owner');
    const admin = await createTestUser(ctx, 'admin-hooks@example.com');
    await ctx.scope.repos.adminRoles.set(admin.id, 'admin');
    receiver.otherwise = { status: 500, body: 'database down' };
    const { endpoint } = await createWebhook(ctx.scope, { url: `${receiver.url('/busy')}?token=receiver-secret`, events: 'user.created' });
    const deliver = async (): Promise<void> => {
      ctx.services.webhooks.kick();
      await ctx.services.background.settled();
    };
    // A busy endpoint: new events keep coming while every delivery fails.
    for (let hour = 0; hour * 3600 <= DISABLE_AFTER_SECONDS; hour++) {
      await createTestUser(ctx);
      await deliver();
      ctx.clock.advance(3600);
    }
    await deliver();
    const disabled = await ctx.scope.repos.webhooks.find(endpoint.id);
    assert.equal(disabled?.enabled, false);
    assert.equal(disabled?.disabledReason, 'failing for a day');
    const queued = await ctx.scope.repos.webhooks.queued(endpoint.id);
    assert.ok(queued.length > 0 && queued.every((q) => q.deadAt !== null), 'what it still had to receive is a dead letter, replayable');

    // The mail goes through the outbox: to the owner, not the admin, and once.
    ctx.services.outbox?.kick();
    await until(() => sink.received.length >= 1, 'the owner to be mailed');
    await ctx.services.background.settled();
    assert.deepEqual(
      sink.received.map((m) => m.to),
      [['owner-hooks@example.com']],
    );
    const [mail] = sink.received;
    assert.match(mail?.subject ?? '', /webhook endpoint was disabled/);
    assert.match(mail?.text ?? '', new RegExp(`${receiver.url('/busy').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\b`));
    assert.doesNotMatch(mail?.text ?? '', /receiver-secret/, 'the URL without its query');
    assert.match(mail?.text ?? '', /answered 500/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_TIMING } from '../../src/webhooks/dispatcher.js';
import { createWebhook } from '../../src/webhooks/service.js';
import { TEST_SECRET, type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type GatehouseProcess, startGatehouse } from '../helpers/process.js';
import { within } from '../helpers/wait.js';
import { type Receiver, startReceiver } from './receiver.js';

// kill -9 of the instance that is delivering loses nothing: the row it leased is taken again by
// another instance once the lease runs out, and delivered (at least once: the receiver may see
// the same webhook-id twice, and the dead instance's attempt never reached the log).
describe('kill -9 mid-delivery', () => {
  let ctx: TestContext;
  let receiver: Receiver;
  let server: GatehouseProcess | undefined;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    receiver = await startReceiver();
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await receiver.close();
    await ctx.close();
  });

  it('delivers the webhook a killed instance was sending, from another instance', async () => {
    const { endpoint, secret } = await createWebhook(ctx.scope, { url: receiver.url('/crash'), events: 'user.created' });
    // The first request is held open: the instance is killed while it waits for the answer.
    receiver.answers.push({ status: 200, hang: true });
    server = await startGatehouse({ GATEHOUSE_DATABASE_URL: ctx.databaseUrl, GATEHOUSE_SECRET: TEST_SECRET, GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    const user = await createTestUser(ctx);
    // The server finds the delivery by itself (it polls every pollMs).
    await within(receiver.arrived(1), 'the server to send the webhook');
    assert.equal(await server.stop('SIGKILL'), 'SIGKILL');
    server = undefined;

    const [row] = await ctx.scope.repos.webhooks.queued(endpoint.id);
    assert.ok(row, 'the delivery is still owed');
    assert.equal(row.deadAt, null);
    // Leased by the dead instance: not taken before its lease runs out, then by this one.
    ctx.services.webhooks.kick();
    await ctx.services.background.settled();
    assert.equal(receiver.received.length, 1);
    // The killed instance leased it on the system clock; this one's clock moves past that lease.
    const leased = await ctx.services.store.db
      .selectFrom('event_deliveries')
      .select('lease_until')
      .where('consumer', '=', `webhook:${endpoint.id}`)
      .executeTakeFirstOrThrow();
    assert.ok(Number(leased.lease_until) - ctx.clock() <= WEBHOOK_TIMING.leaseSeconds + 60, 'leased for about leaseSeconds');
    ctx.clock.set(Number(leased.lease_until) + 1);
    ctx.services.webhooks.kick();
    await ctx.services.background.settled();
    assert.equal(receiver.received.length, 2);
    const [first, second] = receiver.received;
    assert.equal(first?.headers['webhook-id'], second?.headers['webhook-id']);
    const body = JSON.parse(second?.body ?? '{}') as { type: string; data: { user_id: string } };
    assert.equal(body.type, 'user.created');
    assert.equal(body.data.user_id, user.id);
    // The first one, signed by the killed instance with the same sealed secret, verifies too.
    new Webhook(secret).verify(first?.body ?? '', first?.headers ?? {});
    assert.deepEqual(await ctx.scope.repos.webhooks.queued(endpoint.id), []);
  });
});

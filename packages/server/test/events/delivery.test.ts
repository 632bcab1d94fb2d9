import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BackgroundTasks } from '../../src/background.js';
import { type Consumer, DeliveryLoop } from '../../src/events/delivery.js';
import { silentLogger } from '../../src/log.js';
import { type ClaimedDelivery, EventDeliveryRepository, recordForDelivery } from '../../src/store/repos/event-deliveries.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

const TIMING = { leaseSeconds: 60, giveUpSeconds: 600, firstRetrySeconds: 10, maxRetrySeconds: 100, pollMs: 60_000 };

// The outbox machinery is the event table's, for any consumer: mail now, webhooks next. Each
// consumer of an event has a delivery of its own, retried and given up on its own.
describe('event deliveries', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  function consumer(
    name: string,
    act: (d: ClaimedDelivery) => Promise<void>,
    permanent = false,
  ): Consumer & { seen: ClaimedDelivery[]; retries: (number | undefined)[] } {
    const seen: ClaimedDelivery[] = [];
    const retries: (number | undefined)[] = [];
    return {
      name,
      seen,
      retries,
      deliver: async (d) => {
        seen.push(d);
        await act(d);
      },
      failure: (error) => ({ permanent, message: String(error) }),
      failed: (_d, _f, retryIn) => retries.push(retryIn),
    };
  }

  async function drain(c: Consumer): Promise<void> {
    const background = new BackgroundTasks(silentLogger);
    new DeliveryLoop(new EventDeliveryRepository(ctx.services.store.db, ctx.clock), ctx.clock, background, c, TIMING).kick();
    await background.settled();
  }

  it('delivers one event to each of its consumers on its own: one succeeds, one backs off, one gives up', async () => {
    const id = await recordForDelivery(ctx.services.store.db, ctx.scope.id, ctx.clock(), { type: 'client.deleted', clientId: 'c1', payload: {} }, [
      't-ok',
      't-later',
      't-never',
    ]);
    const ok = consumer('t-ok', async () => undefined);
    let failing = true;
    const later = consumer('t-later', async () => {
      if (failing) throw new Error('503');
    });
    const never = consumer(
      't-never',
      async () => {
        throw new Error('410 gone');
      },
      true,
    );
    await Promise.all([drain(ok), drain(later), drain(never)]);
    assert.deepEqual(
      ok.seen.map((d) => [d.eventId, d.type, d.clientId, d.attempts]),
      [[id, 'client.deleted', 'c1', 1]],
    );
    assert.deepEqual(later.retries, [10]);
    assert.deepEqual(never.retries, [undefined], 'a permanent failure is given up at once');

    const repo = new EventDeliveryRepository(ctx.services.store.db, ctx.clock);
    assert.equal(await repo.pending('t-ok'), 0);
    assert.equal(await repo.pending('t-later'), 1);
    assert.deepEqual(
      (await repo.dead('t-never')).map((d) => [d.eventId, d.type, d.attempts, d.lastError]),
      [[id, 'client.deleted', 1, 'Error: 410 gone']],
    );

    await drain(later);
    assert.equal(later.seen.length, 1, 'not before its back-off');
    failing = false;
    ctx.clock.advance(10);
    await drain(later);
    assert.deepEqual(
      later.seen.map((d) => d.attempts),
      [1, 2],
    );
    assert.equal(await repo.pending('t-later'), 0);
    await drain(never);
    assert.equal(never.seen.length, 1, 'a dead letter is never taken again');
    assert.equal((await ctx.scope.repos.events.list({ type: 'client.deleted' }))[0]?.id, id, 'the event stays in the log');
  });

  it('writes neither the event nor its deliveries when the transaction rolls back', async () => {
    await assert.rejects(
      ctx.services.store.db.transaction().execute(async (trx) => {
        await recordForDelivery(trx, ctx.scope.id, ctx.clock(), { type: 'client.deleted', clientId: 'rolled-back', payload: {} }, ['t-rollback']);
        throw new Error('undo');
      }),
      /undo/,
    );
    assert.equal(await new EventDeliveryRepository(ctx.services.store.db, ctx.clock).pending('t-rollback'), 0);
    assert.deepEqual(await ctx.scope.repos.events.list({ clientId: 'rolled-back' }), []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, type Kysely, type KyselyPlugin, sql } from 'kysely';
import { EventRepository } from '../../../src/store/repos/events.js';
import type { Database } from '../../../src/store/schema.js';
import { type TestContext, createTestContext } from '../../helpers/harness.js';

// The audit log's page (EventRepository.page, the Admin API's GET /audit-log) on the backend
// under test: its filters, its cursor, and that its statement reads an index in order.
describe('store contract: events.page', () => {
  let ctx: TestContext;
  let start: number;
  const ids: string[] = [];
  before(async () => {
    ctx = await createTestContext();
    start = ctx.clock() + 5000;
    ctx.clock.set(start);
    const repo = ctx.scope.repos.events;
    // Three in one second (ties broken by id), then one a second later.
    ids.push(await repo.record({ type: 'user.created', userId: 'u-page', payload: {} }));
    ids.push(await repo.record({ type: 'client.created', clientId: 'c-page', actor: 'cli', payload: { client_name: 'x', public: false } }));
    ids.push(await repo.record({ type: 'consent.revoked', userId: 'u-page', clientId: 'c-page', actor: 'user:u-page', payload: {} }));
    ctx.clock.advance(1);
    ids.push(await repo.record({ type: 'user.disabled', userId: 'u-page', actor: 'cli', payload: {} }));
  });
  after(() => ctx.close());
  const page = (q: Partial<Parameters<EventRepository['page']>[0]> = {}) => ctx.scope.repos.events.page({ since: start, limit: 10, ...q });

  it('lists newest first, ties in a second by id, descending', async () => {
    assert.deepEqual(
      (await page()).map((e) => e.id),
      [ids[3], ids[2], ids[1], ids[0]],
    );
  });

  it('continues strictly before the cursor, also within one second', async () => {
    const first = await page({ limit: 2 });
    assert.equal(first.length, 2);
    const last = first[1];
    assert.ok(last);
    const rest = await page({ before: [last.occurredAt, last.id] });
    assert.deepEqual(
      rest.map((e) => e.id),
      [ids[1], ids[0]],
    );
    // An event recorded after the first page was read does not shift the next one.
    ctx.clock.advance(1);
    await ctx.scope.repos.events.record({ type: 'user.enabled', userId: 'u-page', payload: {} });
    assert.deepEqual(
      (await page({ before: [last.occurredAt, last.id] })).map((e) => e.id),
      [ids[1], ids[0]],
    );
  });

  it('filters by types, user, client, actor, since and until', async () => {
    const types = async (q: Partial<Parameters<EventRepository['page']>[0]>): Promise<string[]> => (await page(q)).map((e) => e.type);
    assert.deepEqual(await types({ types: ['user.created', 'user.disabled'] }), ['user.disabled', 'user.created']);
    assert.deepEqual(await types({ userId: 'u-page', until: start }), ['consent.revoked', 'user.created']);
    assert.deepEqual(await types({ clientId: 'c-page' }), ['consent.revoked', 'client.created']);
    assert.deepEqual(await types({ actor: 'cli' }), ['user.disabled', 'client.created']);
    assert.deepEqual(await types({ since: start + 1, until: start + 1 }), ['user.disabled']);
    assert.deepEqual(await types({ types: [], userId: 'nobody' }), []);
  });

  it('reads the issuer-time index in order: no table scan, no sort', async () => {
    let captured: CompiledQuery | undefined;
    const db = ctx.services.store.db;
    const capture: KyselyPlugin = {
      transformQuery(args) {
        captured = db.getExecutor().compileQuery(args.node, args.queryId);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    await new EventRepository(db.withPlugin(capture), ctx.clock, 'default').page({ limit: 51, before: [start, ids[2] as string] });
    assert.ok(captured);
    const query = captured;
    const plan = await planOf(db, ctx.services.store.backend, query);
    assert.match(plan, /events_issuer_time_id/, plan);
    assert.doesNotMatch(plan, /SCAN events\b(?! USING)|Seq Scan|TEMP B-TREE|Sort/, plan);
  });
});

async function planOf(db: Kysely<Database>, backend: string, query: CompiledQuery): Promise<string> {
  if (backend === 'sqlite') {
    const rows = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]));
    return rows.rows.map((r) => r.detail).join('\n');
  }
  // A handful of rows makes a sequential scan cheapest; forbid it to see which index the plan would use.
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]));
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

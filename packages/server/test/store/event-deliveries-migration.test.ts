import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, PostgresAdapter, sql } from 'kysely';
import type { Store } from '../../src/store/db.js';
import { migrate, migrations } from '../../src/store/migrate.js';
import { EventDeliveryRepository } from '../../src/store/repos/event-deliveries.js';
import { EventRepository } from '../../src/store/repos/events.js';
import { openTestStore } from '../helpers/harness.js';

// Mail a request was promised before the outbox moved into the event table is still sent:
// migration 015 moves every row of the old mail outbox, with its attempts, back-off and lease.
describe('migration 015: the mail outbox moves into the event table', () => {
  let store: Store;
  let drop: () => Promise<void>;
  before(async () => {
    ({ store, drop } = await openTestStore());
  });
  after(async () => {
    await store.close();
    await drop();
  });

  it('moves undelivered mail to mail.requested events with a delivery each, and drops the old table', async () => {
    const schema =
      store.db.getExecutor().adapter instanceof PostgresAdapter
        ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
        : undefined;
    const upTo014 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '015'));
    const old = new Migrator({ db: store.db, provider: { getMigrations: async () => upTo014 }, ...(schema ? { migrationTableSchema: schema } : {}) });
    assert.equal((await old.migrateToLatest()).error, undefined);
    await sql`insert into issuers (id, name, settings, created_at, updated_at) values ('beta', 'Beta', '{}', 1, 1)`.execute(store.db);
    await sql`insert into mail_outbox (id, kind, recipient, created_at, not_before, lease_until, attempts, issuer_id, locale) values
      ('m1aaaaaaaaaaaaaaaaaaaa', 'password_reset', 'ada@example.com', 1000, 1000, 0, 0, 'default', 'de'),
      ('m2bbbbbbbbbbbbbbbbbbbb', 'password_reset', 'bob@example.com', 1001, 1150, 0, 2, 'beta', 'en'),
      ('m3cccccccccccccccccccc', 'password_reset', 'eve@example.com', 1002, 1002, 1200, 1, 'default', 'fr')`.execute(store.db);

    assert.deepEqual(
      (await migrate(store.db)).applied,
      Object.keys(migrations).filter((name) => name >= '015'),
    );
    const events = await new EventRepository(store.db, () => 1100, 'default').list({ type: 'mail.requested' });
    assert.deepEqual(events.map((e) => [e.occurredAt, e.payload]).reverse(), [
      [1000, { template: 'password_reset', recipient: 'ada@example.com', locale: 'de', data: {} }],
      [1002, { template: 'password_reset', recipient: 'eve@example.com', locale: 'fr', data: {} }],
    ]);

    // At 1100: the first is due; the second waits for its back-off, the third for its lease.
    const at = (now: number) => new EventDeliveryRepository(store.db, () => now);
    const first = await at(1100).claim('mail', 60);
    assert.deepEqual([first?.issuerId, (first?.payload as { recipient: string } | undefined)?.recipient, first?.attempts], ['default', 'ada@example.com', 1]);
    await at(1100).delivered(String(first?.eventId), 'mail');
    assert.equal(await at(1100).claim('mail', 60), undefined, 'the others are not due yet');
    const second = await at(1150).claim('mail', 60);
    assert.deepEqual([second?.issuerId, second?.attempts], ['beta', 3], 'attempts carried over');
    await at(1150).deadLetter(String(second?.eventId), 'mail', 'refused');
    const third = await at(1200).claim('mail', 60);
    assert.equal((third?.payload as { recipient: string } | undefined)?.recipient, 'eve@example.com', 'taken once the old lease ran out');
    const tables =
      store.db.getExecutor().adapter instanceof PostgresAdapter
        ? (
            await sql<{
              n: string;
            }>`select count(*) as n from information_schema.tables where table_name = 'mail_outbox' and table_schema = current_schema()`.execute(store.db)
          ).rows
        : (await sql<{ n: string }>`select count(*) as n from sqlite_master where name = 'mail_outbox'`.execute(store.db)).rows;
    assert.equal(Number(tables[0]?.n), 0, 'the old table is gone');
  });
});

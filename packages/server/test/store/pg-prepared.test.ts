import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openTestStore } from '../helpers/harness.js';

describe('PostgreSQL prepared statements', { skip: process.env.TEST_DATABASE_URL ? false : 'PostgreSQL only' }, () => {
  let store: Store;
  let drop: () => Promise<void>;
  before(async () => {
    // One connection, so every statement below meets the same session's prepared statements.
    ({ store, drop } = await openTestStore({ max: 1 }));
    await migrate(store.db);
  });
  after(async () => {
    await store.close();
    await drop();
  });

  const prepared = async (): Promise<string[]> =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'gh\\_%'`.execute(store.db)).rows.map((r) => r.statement);

  it('prepares statements with explicit columns once per connection, and leaves * statements unnamed', async () => {
    await store.db.selectFrom('clients').select(['id', 'name']).where('id', '=', 'x').execute();
    await store.db.selectFrom('clients').select(['id', 'name']).where('id', '=', 'y').execute();
    await store.db.selectFrom('users').selectAll().where('id', '=', 'x').execute();
    const statements = await prepared();
    assert.equal(statements.filter((s) => s.startsWith('select "id", "name" from "clients"')).length, 1);
    assert.ok(!statements.some((s) => s.includes('*')));
  });

  it('drops a connection whose prepared statement no longer fits the schema, and goes on', async () => {
    await sql`create table wobbly (v integer)`.execute(store.db);
    await sql`insert into wobbly (v) values (1)`.execute(store.db);
    const select = sql<{ v: unknown }>`select "v" from "wobbly"`;
    assert.deepEqual((await select.execute(store.db)).rows, [{ v: 1 }]);
    await sql`alter table wobbly alter column v type text`.execute(store.db);
    await assert.rejects(select.execute(store.db), (error: { code?: string }) => error.code === '0A000');
    // The broken connection was discarded; a new one prepares the statement against the new type.
    assert.deepEqual((await select.execute(store.db)).rows, [{ v: '1' }]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { migrate } from '../../src/store/migrate.js';
import { randomToken } from '../../src/tokens/random.js';
import { openTestStore } from '../helpers/harness.js';

function schemaName(): string {
  return `churn_${randomToken(8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
}

// Several Gatehouse databases (or test runs) may share one PostgreSQL server, each in its own
// schema. Creating and dropping the others must never break a migration running in this one.
describe('migrations beside other schemas', { skip: !process.env.TEST_DATABASE_URL && 'PostgreSQL only' }, () => {
  it('migrate while other schemas are created and dropped all the time', async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    let churning = true;
    const churn = (async () => {
      while (churning) {
        const name = schemaName();
        await admin.query(`create schema ${name}`);
        await admin.query(`create table ${name}.t (id int primary key)`);
        await admin.query(`drop schema ${name} cascade`);
      }
    })();
    try {
      for (let round = 0; round < 8; round++) {
        const { store, drop } = await openTestStore();
        try {
          const result = await migrate(store.db);
          assert.ok(result.applied.length > 0);
          assert.deepEqual((await migrate(store.db)).applied, [], 'a second run finds nothing to do');
        } finally {
          await store.close();
          await drop();
        }
      }
    } finally {
      churning = false;
      await churn;
      await admin.end();
    }
  });

  it('sees only its own schema when it introspects', async () => {
    const { store, drop } = await openTestStore();
    try {
      await migrate(store.db);
      const tables = await store.db.introspection.getTables();
      const names = tables.map((t) => t.name);
      assert.ok(names.includes('clients'));
      assert.equal(new Set(tables.map((t) => t.schema)).size, 1);
      const clients = tables.find((t) => t.name === 'clients');
      assert.ok(clients?.columns.some((c) => c.name === 'id' && !c.isNullable));
    } finally {
      await store.close();
      await drop();
    }
  });
});

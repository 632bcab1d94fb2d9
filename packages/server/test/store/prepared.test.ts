import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { changedRows, firstRow, prepared, preparedInsert } from '../../src/store/prepared.js';
import { openTestStore } from '../helpers/harness.js';
import { USER_COLUMNS } from '../../src/store/columns.js';

const INSERT_USER = preparedInsert('users', USER_COLUMNS);
const ENABLED_USER_BY_EMAIL = prepared((db, email: string) =>
  db.selectFrom('users').select(['id', 'email']).where('email', '=', email).where('disabled', '=', 0),
);
const RENAME = prepared((db, name: string, id: string) => db.updateTable('users').set({ name }).where('id', '=', id));

function user(id: string, disabled = 0): Parameters<typeof INSERT_USER>[1] {
  return {
    id,
    email: `${id}@example.com`,
    email_verified: 1,
    password_hash: null,
    name: id,
    given_name: null,
    family_name: null,
    preferred_username: null,
    picture: null,
    disabled,
    created_at: 1,
    updated_at: 1,
    issuer_id: 'default',
    revision: 1,
  };
}

describe('prepared queries (built once, parameters filled in per call)', () => {
  let store: Store;
  let drop: () => Promise<void>;
  before(async () => {
    ({ store, drop } = await openTestStore());
    await migrate(store.db);
    await store.db.executeQuery(INSERT_USER(store.db, user('ada')));
    await store.db.executeQuery(INSERT_USER(store.db, user('bob')));
    await store.db.executeQuery(INSERT_USER(store.db, user('eve', 1)));
  });
  after(async () => {
    await store.close();
    await drop();
  });

  it('binds each call’s own arguments, not those of the first call', async () => {
    assert.deepEqual(await firstRow(store.db, ENABLED_USER_BY_EMAIL(store.db, 'ada@example.com')), { id: 'ada', email: 'ada@example.com' });
    assert.deepEqual(await firstRow(store.db, ENABLED_USER_BY_EMAIL(store.db, 'bob@example.com')), { id: 'bob', email: 'bob@example.com' });
    assert.equal(await firstRow(store.db, ENABLED_USER_BY_EMAIL(store.db, 'nobody@example.com')), undefined);
  });

  it('keeps the builder’s own constants (a disabled user stays filtered out)', async () => {
    assert.equal(await firstRow(store.db, ENABLED_USER_BY_EMAIL(store.db, 'eve@example.com')), undefined);
  });

  it('binds arguments in their own order, whatever order the SQL needs them in', async () => {
    assert.equal(await changedRows(store.db, RENAME(store.db, 'Ada L.', 'ada')), 1);
    assert.equal(await changedRows(store.db, RENAME(store.db, 'x', 'nobody')), 0);
    const row = await store.db.selectFrom('users').select('name').where('id', '=', 'ada').executeTakeFirstOrThrow();
    assert.equal(row.name, 'Ada L.');
  });

  it('runs inside a transaction, and a rollback undoes it', async () => {
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await trx.executeQuery(INSERT_USER(trx, user('tx')));
        assert.ok(await firstRow(trx, ENABLED_USER_BY_EMAIL(trx, 'tx@example.com')));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(await firstRow(store.db, ENABLED_USER_BY_EMAIL(store.db, 'tx@example.com')), undefined);
  });

  it('refuses a builder that puts an argument inside a larger value', () => {
    const LIKE = prepared((db, part: string) => db.selectFrom('users').select('id').where('email', 'like', `%${part}%`));
    assert.throws(() => LIKE(store.db, 'ada'), /inside a larger value/);
  });

  it('refuses a builder that drops an argument', () => {
    const IGNORES = prepared((db, _email: string) => db.selectFrom('users').select('id').where('disabled', '=', 0));
    assert.throws(() => IGNORES(store.db, 'ada@example.com'), /used 0 of its 1 arguments/);
  });
});

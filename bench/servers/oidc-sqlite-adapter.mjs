// A like-for-like persistent adapter for oidc-provider: one SQLite file with the pragmas Gatehouse
// uses (WAL, synchronous=FULL, so every acknowledged write is on disk). oidc-provider calls the
// adapter once per model operation and has no transactions, so each write is its own commit.
import Database from 'better-sqlite3';

const now = () => Math.floor(Date.now() / 1000);

export function createSqliteAdapter(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    create table if not exists oidc_model (
      model text not null, id text not null, payload text not null,
      grant_id text, user_code text, uid text, expires_at integer, consumed_at integer,
      primary key (model, id)) without rowid;
    create index if not exists oidc_model_grant on oidc_model (grant_id) where grant_id is not null;
    create index if not exists oidc_model_uid on oidc_model (uid) where uid is not null;
    create index if not exists oidc_model_user_code on oidc_model (user_code) where user_code is not null;`);
  const live = '(expires_at is null or expires_at > ?)';
  const q = {
    find: db.prepare(`select payload, consumed_at from oidc_model where model = ? and id = ? and ${live}`),
    byUid: db.prepare(`select payload, consumed_at from oidc_model where model = 'Session' and uid = ? and ${live}`),
    byUserCode: db.prepare(`select payload, consumed_at from oidc_model where model = ? and user_code = ? and ${live}`),
    upsert: db.prepare(`insert into oidc_model (model, id, payload, grant_id, user_code, uid, expires_at)
      values (?, ?, ?, ?, ?, ?, ?) on conflict (model, id) do update set payload = excluded.payload,
      grant_id = excluded.grant_id, user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`),
    consume: db.prepare('update oidc_model set consumed_at = ? where model = ? and id = ?'),
    destroy: db.prepare('delete from oidc_model where model = ? and id = ?'),
    revoke: db.prepare('delete from oidc_model where grant_id = ?'),
  };
  const read = (row) => {
    if (!row) return undefined;
    const payload = JSON.parse(row.payload);
    return row.consumed_at ? { ...payload, consumed: row.consumed_at } : payload;
  };

  return class SqliteAdapter {
    constructor(model) {
      this.model = model;
    }
    async upsert(id, payload, expiresIn) {
      const exp = typeof expiresIn === 'number' ? now() + expiresIn : null;
      q.upsert.run(this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, exp);
    }
    async find(id) {
      return read(q.find.get(this.model, id, now()));
    }
    async findByUid(uid) {
      return read(q.byUid.get(uid, now()));
    }
    async findByUserCode(userCode) {
      return read(q.byUserCode.get(this.model, userCode, now()));
    }
    async consume(id) {
      q.consume.run(now(), this.model, id);
    }
    async destroy(id) {
      q.destroy.run(this.model, id);
    }
    async revokeByGrantId(grantId) {
      q.revoke.run(grantId);
    }
  };
}

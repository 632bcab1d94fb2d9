// The like-for-like PostgreSQL adapter for oidc-provider: the SQLite adapter's one table, on a
// pg pool, every statement a named prepared statement (as Gatehouse sends them). oidc-provider
// calls the adapter once per model operation with no transaction: each write is its own commit.
import pg from 'pg';

const now = () => Math.floor(Date.now() / 1000);
const live = '(expires_at is null or expires_at > $3)';
const SQL = {
  find: `select payload, consumed_at from oidc_model where model = $1 and id = $2 and ${live}`,
  byUid: `select payload, consumed_at from oidc_model where model = $1 and uid = $2 and ${live}`,
  byUserCode: `select payload, consumed_at from oidc_model where model = $1 and user_code = $2 and ${live}`,
  upsert: `insert into oidc_model (model, id, payload, grant_id, user_code, uid, expires_at)
    values ($1, $2, $3, $4, $5, $6, $7) on conflict (model, id) do update set payload = excluded.payload,
    grant_id = excluded.grant_id, user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
  consume: 'update oidc_model set consumed_at = $1 where model = $2 and id = $3',
  destroy: 'delete from oidc_model where model = $1 and id = $2',
  revoke: 'delete from oidc_model where grant_id = $1',
};

export async function createPostgresAdapter(url) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(`
    create table if not exists oidc_model (
      model text not null, id text not null, payload jsonb not null,
      grant_id text, user_code text, uid text, expires_at bigint, consumed_at bigint,
      primary key (model, id));
    create index if not exists oidc_model_grant on oidc_model (grant_id) where grant_id is not null;
    create index if not exists oidc_model_uid on oidc_model (uid) where uid is not null;
    create index if not exists oidc_model_user_code on oidc_model (user_code) where user_code is not null;`);
  const run = (name, values) => pool.query({ name: `oidc_${name}`, text: SQL[name], values });
  const read = (result) => {
    const row = result.rows[0];
    if (!row) return undefined;
    return row.consumed_at ? { ...row.payload, consumed: Number(row.consumed_at) } : row.payload;
  };

  return class PostgresAdapter {
    constructor(model) {
      this.model = model;
    }
    async upsert(id, payload, expiresIn) {
      const exp = typeof expiresIn === 'number' ? now() + expiresIn : null;
      await run('upsert', [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, exp]);
    }
    async find(id) {
      return read(await run('find', [this.model, id, now()]));
    }
    async findByUid(uid) {
      return read(await run('byUid', ['Session', uid, now()]));
    }
    async findByUserCode(userCode) {
      return read(await run('byUserCode', [this.model, userCode, now()]));
    }
    async consume(id) {
      await run('consume', [now(), this.model, id]);
    }
    async destroy(id) {
      await run('destroy', [this.model, id]);
    }
    async revokeByGrantId(grantId) {
      await run('revoke', [grantId]);
    }
  };
}

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Migrator, sql } from 'kysely';
import { runMaintenance } from '../../src/maintenance.js';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { initial } from '../../src/store/migrations/001_initial.js';
import { sweepIndexes } from '../../src/store/migrations/002_sweep_indexes.js';
import { signInForTokens, tokenRequest } from '../helpers/flow.js';
import { type TestContext, basicAuth, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

type Counts = Record<'grants' | 'refresh_tokens' | 'access_token_revocations', number>;

async function rowCounts(ctx: TestContext): Promise<Counts> {
  const counts: Counts = { grants: 0, refresh_tokens: 0, access_token_revocations: 0 };
  for (const table of ['grants', 'refresh_tokens', 'access_token_revocations'] as const) {
    const row = await ctx.services.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

// Access tokens are stateless to issue; only revocations are stored, and they go when the
// token would have expired.
describe('access token revocations', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('writes nothing to issue a client_credentials token, and a revocation row to revoke one', async () => {
    const { client, secret } = await createTestClient(ctx);
    const before = await rowCounts(ctx);
    const res = await tokenRequest(ctx, client.id, secret, { grant_type: 'client_credentials', scope: 'payments' });
    const { access_token } = (await res.json()) as { access_token: string };
    assert.deepEqual(await rowCounts(ctx), before);
    assert.equal(decodeJwt(access_token).gid, undefined, 'no grant behind a client_credentials token');

    const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(client.id, secret as string) };
    assert.equal((await ctx.app.request(at('/oauth/revoke'), { method: 'POST', headers, body: `token=${access_token}` })).status, 200);
    assert.equal((await rowCounts(ctx)).access_token_revocations, before.access_token_revocations + 1);
    const introspected = await ctx.app.request(at('/oauth/introspect'), { method: 'POST', headers, body: `token=${access_token}` });
    assert.deepEqual(await introspected.json(), { active: false });

    // The row outlives the token by the replay grace period, then maintenance removes it.
    ctx.clock.advance(ctx.config.accessTokenTtl + 24 * 3600 + 1);
    await runMaintenance(ctx.services);
    assert.equal((await rowCounts(ctx)).access_token_revocations, before.access_token_revocations);
  });

  it('names the grant in a user token (gid), so revoking the grant ends it', async () => {
    const { client, secret } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const { tokens } = await signInForTokens(ctx, { id: client.id, secret }, user.email);
    const gid = decodeJwt(tokens.access_token as string).gid;
    assert.equal(typeof gid, 'string');
    assert.ok(await ctx.scope.repos.grants.findActive(gid as string));
    await ctx.scope.repos.grants.revoke(gid as string, 'revoked_by_client');
    const info = await ctx.app.request(at('/oauth/userinfo'), { headers: { authorization: `Bearer ${tokens.access_token as string}` } });
    assert.equal(info.status, 401);
  });
});

describe('migration 003', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-migrate-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the revocations of the access_tokens table it replaces', async () => {
    const store = openStore(`sqlite:${path.join(dir, 'old.db')}`);
    try {
      const old = new Migrator({ db: store.db, provider: { getMigrations: async () => ({ '001_initial': initial, '002_sweep_indexes': sweepIndexes }) } });
      assert.equal((await old.migrateToLatest()).error, undefined);
      await sql`insert into clients (id, name, redirect_uris, post_logout_redirect_uris, grant_types, scopes, resources, created_at, updated_at)
        values ('c1', 'Old', '[]', '[]', '[]', '[]', '[]', 1, 1)`.execute(store.db);
      await sql`insert into access_tokens (jti, grant_id, client_id, user_id, expires_at, revoked_at)
        values ('revoked', null, 'c1', null, 2000000000, 1700000000), ('live', null, 'c1', null, 2000000000, null)`.execute(store.db);
      assert.deepEqual((await migrate(store.db)).applied.slice(0, 1), ['003_access_token_revocations']);
      const rows = await store.db.selectFrom('access_token_revocations').selectAll().execute();
      // Migration 010 then gives every row the default issuer.
      assert.deepEqual(rows, [{ jti: 'revoked', expires_at: 2000000000, revoked_at: 1700000000, issuer_id: 'default' }]);
    } finally {
      await store.close();
    }
  });
});

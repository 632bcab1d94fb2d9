import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { initial } from '../../src/store/migrations/001_initial.js';
import { sweepIndexes } from '../../src/store/migrations/002_sweep_indexes.js';
import { accessTokenRevocations } from '../../src/store/migrations/003_access_token_revocations.js';
import { clientNotifications } from '../../src/store/migrations/004_client_notifications.js';
import { organizations } from '../../src/store/migrations/005_organizations.js';
import { RefreshTokenRepository } from '../../src/store/repos/refresh-tokens.js';
import { randomSuccessor } from '../helpers/harness.js';
import { sha256 } from '../../src/tokens/random.js';

// Refresh tokens issued before chains (one row per token, keyed by its hash) keep working after
// the migration: the live one rotates into a chain, a spent one is still recognised as reuse.
describe('migration 006: refresh tokens issued before chains', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-chains-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rotates a live old token into its chain and reports a spent one as reused', async () => {
    const store = openStore(`sqlite:${path.join(dir, 'old.db')}`);
    try {
      const old = new Migrator({
        db: store.db,
        provider: {
          getMigrations: async () => ({
            '001_initial': initial,
            '002_sweep_indexes': sweepIndexes,
            '003_access_token_revocations': accessTokenRevocations,
            '004_client_notifications': clientNotifications,
            '005_organizations': organizations,
          }),
        },
      });
      assert.equal((await old.migrateToLatest()).error, undefined);
      const live = 'ghr_livelivelivelivelivelivelivelivelivelive1';
      const spent = 'ghr_spentspentspentspentspentspentspentspent';
      await sql`insert into clients (id, name, redirect_uris, post_logout_redirect_uris, grant_types, scopes, resources, created_at, updated_at)
        values ('c1', 'Old', '[]', '[]', '["authorization_code","refresh_token"]', '["openid"]', '[]', 1, 1)`.execute(store.db);
      await sql`insert into users (id, email, created_at, updated_at) values ('u1', 'old@example.com', 1, 1)`.execute(store.db);
      await sql`insert into grants (id, client_id, user_id, scope, created_at, expires_at) values ('g1', 'c1', 'u1', 'openid', 1, 2000000000)`.execute(
        store.db,
      );
      await sql`insert into refresh_tokens (id, grant_id, client_id, created_at, expires_at, consumed_at)
        values (${sha256(live)}, 'g1', 'c1', 1, 2000000000, null), (${sha256(spent)}, 'g1', 'c1', 1, 2000000000, 5)`.execute(store.db);

      assert.deepEqual((await migrate(store.db)).applied.slice(0, 1), ['006_refresh_token_chains']);
      const repo = new RefreshTokenRepository(store.db, () => 1_800_000_000, 'default');
      assert.equal((await repo.consume(spent, 'c1')).status, 'reused');

      const rotated = await repo.rotate(live, 'c1', null, randomSuccessor);
      assert.ok(rotated, 'the old live token still refreshes');
      assert.ok(rotated.refreshToken.startsWith(`ghr_${sha256(live)}.`), 'into a chain named by its old row');
      assert.equal((await repo.consume(live, 'c1')).status, 'reused', 'and is spent by it');
      assert.ok(await repo.rotate(rotated.refreshToken, 'c1', null, randomSuccessor), 'its successor refreshes');
      const rows = await store.db.selectFrom('refresh_tokens').select('id').execute();
      assert.equal(rows.length, 2, 'rotation adds no row');

      // What an instance of the previous version writes during a rolling upgrade: a row keyed by
      // the token's hash, without a secret hash. It refreshes too.
      const fromOld = 'ghr_writtenbyanoldinstancewrittenbyanoldinst';
      await sql`insert into refresh_tokens (id, grant_id, client_id, created_at, expires_at, consumed_at)
        values (${sha256(fromOld)}, 'g1', 'c1', 1, 2000000000, null)`.execute(store.db);
      assert.ok(await repo.rotate(fromOld, 'c1', null, randomSuccessor));
      assert.equal(await repo.rotate(`ghr_${sha256(fromOld)}.anything`, 'c1', null, randomSuccessor), undefined, 'its chain id alone opens nothing');
    } finally {
      await store.close();
    }
  });
});

import { type Kysely, type Migration, sql } from 'kysely';

// Refresh tokens become chains (repos/refresh-token-rows.ts): a rotation overwrites the chain's
// secret hash instead of inserting a row per refresh. A row without one (written before this,
// or by an instance of the previous version during a rolling upgrade) is keyed by its token's
// hash, which then is its secret hash too: its token still refreshes, into the new form, and
// once spent is still recognised as reuse. Adding a nullable column rewrites no row.
export const refreshTokenChains: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('refresh_tokens').addColumn('secret_hash', 'varchar(64)').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    // Chains cannot go back to being keyed by their token's hash: they end with the column.
    await sql`DELETE FROM refresh_tokens WHERE secret_hash IS NOT NULL`.execute(db);
    await db.schema.alterTable('refresh_tokens').dropColumn('secret_hash').execute();
  },
};

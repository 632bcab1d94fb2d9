import { type Kysely, type Migration, sql } from 'kysely';

// The revocation feed (endpoints/revocation-feed.ts) reads an issuer's revoked grants and
// revoked access tokens in revocation order from a cursor: one index range per table, partial on
// grants so the live ones (nearly all rows) cost the index nothing.
export const revocationFeed: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('grants_issuer_revoked')
      .on('grants')
      .columns(['issuer_id', 'revoked_at', 'id'])
      .where(sql.ref('revoked_at'), 'is not', null)
      .execute();
    await db.schema.createIndex('access_token_revocations_issuer_revoked').on('access_token_revocations').columns(['issuer_id', 'revoked_at', 'jti']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('access_token_revocations_issuer_revoked').execute();
    await db.schema.dropIndex('grants_issuer_revoked').execute();
  },
};

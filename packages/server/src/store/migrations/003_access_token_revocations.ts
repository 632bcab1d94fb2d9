import { type Kysely, type Migration, sql } from 'kysely';

// Issuing an access token no longer writes a row: only revocations are kept, and a token names
// its grant in a `gid` claim. Tokens issued before this migration carry no `gid`; revoking their
// grant reaches them no more, for the rest of their life (15 minutes by default).
export const accessTokenRevocations: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('access_token_revocations')
      .addColumn('jti', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_token_revocations_expires_at').on('access_token_revocations').column('expires_at').execute();
    await sql`insert into access_token_revocations (jti, expires_at, revoked_at)
      select jti, expires_at, revoked_at from access_tokens where revoked_at is not null`.execute(db);
    await db.schema.dropTable('access_tokens').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('access_tokens')
      .addColumn('jti', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('grant_id', 'varchar(64)', (c) => c.references('grants.id').onDelete('cascade'))
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(64)')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.dropTable('access_token_revocations').execute();
  },
};

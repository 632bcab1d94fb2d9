import type { Kysely, Migration } from 'kysely';

// The console's one-time setup links (console/setup.ts): printed at start while an issuer has
// no owner, each usable once within an hour. Only the hash of the link's token is stored.
export const consoleSetup: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('console_setup_links')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addPrimaryKeyConstraint('console_setup_links_pk', ['issuer_id', 'token_hash'])
      .execute();
    await db.schema.createIndex('console_setup_links_expires').on('console_setup_links').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('console_setup_links').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// The account pages (account/*): a session remembers the browser it was started from (its
// User-Agent and address, shown on the sessions page, never used to decide anything) and when
// it was last used (written at most every few minutes, http/session.ts). Sessions from before
// show neither. A closed account leaves the reason its owner gave, for the operator; the row
// names the user only by id, so it outlives a deleted user as the events do.
export const accountPages: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sessions').addColumn('user_agent', 'varchar(512)').execute();
    await db.schema.alterTable('sessions').addColumn('ip', 'varchar(64)').execute();
    await db.schema.alterTable('sessions').addColumn('last_seen_at', 'bigint').execute();
    await db.schema
      .createTable('account_closures')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('reason', 'varchar(40)', (c) => c.notNull())
      .addColumn('details', 'varchar(2000)')
      .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
      .addColumn('closed_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('account_closures_issuer_time').on('account_closures').columns(['issuer_id', 'closed_at', 'id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('account_closures').execute();
    for (const column of ['last_seen_at', 'ip', 'user_agent']) await db.schema.alterTable('sessions').dropColumn(column).execute();
  },
};

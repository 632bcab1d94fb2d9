import type { Kysely, Migration } from 'kysely';

// The event log (events/catalog.ts): every domain change writes its event in the same
// transaction. It is the audit log; webhooks will deliver from it.
export const events: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('events')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('type', 'varchar(64)', (c) => c.notNull())
      .addColumn('occurred_at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'varchar(200)')
      .addColumn('user_id', 'varchar(64)')
      .addColumn('client_id', 'varchar(64)')
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_issuer_time').on('events').columns(['issuer_id', 'occurred_at']).execute();
    await db.schema.createIndex('events_issuer_user').on('events').columns(['issuer_id', 'user_id', 'occurred_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('events').execute();
  },
};

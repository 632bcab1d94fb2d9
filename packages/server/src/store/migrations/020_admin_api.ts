import { type Kysely, type Migration, sql } from 'kysely';

// The Admin API (admin/api/): who may manage an issuer, the responses kept for creates retried
// with an Idempotency-Key, and a revision on every row the API edits, so an update made with
// If-Match applies only to the row it was read from (a concurrent edit gets 412).
export const adminApi: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('admin_roles')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      /** owner | admin | viewer (admin/api/roles.ts). */
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('admin_roles_pk', ['issuer_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      /** Who sent it (`user:<id>` or `client:<id>`): one caller's key never answers another. */
      .addColumn('principal', 'varchar(200)', (c) => c.notNull())
      .addColumn('key', 'varchar(255)', (c) => c.notNull())
      /** Method, path and a hash of the body: the same key with another request is refused. */
      .addColumn('fingerprint', 'varchar(100)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      /** The response as sent, sealed (it may hold a client secret shown once). */
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['issuer_id', 'principal', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
    // The address a change came from (the Admin API and the console record it with the actor).
    await db.schema.alterTable('events').addColumn('address', 'varchar(64)').execute();
    // web | spa | native | machine (services/clients.ts); null for clients registered before,
    // whose kind is read from their settings.
    await db.schema.alterTable('clients').addColumn('app_type', 'varchar(16)').execute();
    for (const table of ['clients', 'users', 'organizations', 'issuers']) {
      await db.schema
        .alterTable(table)
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(sql`1`))
        .execute();
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['issuers', 'organizations', 'users', 'clients']) await db.schema.alterTable(table).dropColumn('revision').execute();
    await db.schema.alterTable('clients').dropColumn('app_type').execute();
    await db.schema.alterTable('events').dropColumn('address').execute();
    await db.schema.dropTable('idempotency_keys').execute();
    await db.schema.dropTable('admin_roles').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// The addresses an account has signed in from (as a keyed hash, never the address itself):
// failures from other addresses do not hold these back (auth/throttle.ts).
export const knownLoginAddresses: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('known_login_addresses')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('address', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('known_login_addresses_pk', ['issuer_id', 'user_id', 'address'])
      .execute();
    await db.schema.createIndex('known_login_addresses_user').on('known_login_addresses').column('user_id').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('known_login_addresses').execute();
  },
};

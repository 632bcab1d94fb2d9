import type { Kysely, Migration } from 'kysely';

// Passkeys (WebAuthn credentials) of each issuer's users, and the server's one-time challenges
// for registering and using them. A credential id is unique per issuer: the same authenticator
// may hold a passkey for two issuers on one host (they share the RP ID), each is its own row.
// Challenges are bound to what asked for them (an interaction, or an account session) and are
// deleted when used, so an assertion can be replayed against none.
export const passkeys: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('passkeys')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('credential_id', 'varchar(1400)', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('sign_count', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'varchar(200)', (c) => c.notNull())
      .addColumn('aaguid', 'varchar(36)', (c) => c.notNull())
      .addColumn('device_type', 'varchar(16)', (c) => c.notNull())
      .addColumn('backed_up', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addUniqueConstraint('passkeys_issuer_credential', ['issuer_id', 'credential_id'])
      .execute();
    await db.schema.createIndex('passkeys_issuer_user').on('passkeys').columns(['issuer_id', 'user_id']).execute();
    await db.schema
      .createTable('passkey_challenges')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('challenge', 'varchar(64)', (c) => c.notNull())
      .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
      .addColumn('binding', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('passkey_challenges_pk', ['issuer_id', 'challenge'])
      .execute();
    await db.schema.createIndex('passkey_challenges_binding').on('passkey_challenges').columns(['issuer_id', 'purpose', 'binding']).execute();
    await db.schema.createIndex('passkey_challenges_expires_at').on('passkey_challenges').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('passkey_challenges').execute();
    await db.schema.dropTable('passkeys').execute();
  },
};

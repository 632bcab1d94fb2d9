import type { Kysely, Migration } from 'kysely';

// Addresses waiting to be proven (signup/): a self-service sign-up, whose user is created only
// once its address is verified, and a signed-in user's new address, which replaces the old one
// only then. The code and the link are stored as hashes (a keyed hash for the six-digit code,
// which a plain hash would not protect); the sign-up's password only as its argon2id hash.
export const emailVerifications: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('email_verifications')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
      .addColumn('email', 'varchar(320)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)')
      .addColumn('password_hash', 'text')
      .addColumn('user_id', 'varchar(64)')
      .addColumn('interaction_id', 'varchar(64)')
      .addColumn('locale', 'varchar(16)', (c) => c.notNull())
      .addColumn('code_hash', 'varchar(64)')
      .addColumn('token_hash', 'varchar(64)')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addPrimaryKeyConstraint('email_verifications_pk', ['issuer_id', 'id'])
      .execute();
    await db.schema.createIndex('email_verifications_token').on('email_verifications').columns(['issuer_id', 'token_hash']).execute();
    await db.schema.createIndex('email_verifications_interaction').on('email_verifications').columns(['issuer_id', 'interaction_id']).execute();
    await db.schema.createIndex('email_verifications_user').on('email_verifications').columns(['issuer_id', 'user_id']).execute();
    await db.schema.createIndex('email_verifications_email').on('email_verifications').columns(['issuer_id', 'email']).execute();
    await db.schema.createIndex('email_verifications_expires').on('email_verifications').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('email_verifications').execute();
  },
};

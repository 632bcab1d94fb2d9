import type { Kysely, Migration } from 'kysely';

// Abuse protection and email codes (src/abuse/): the proof-of-work solutions already used (a
// solved challenge counts once, until its salt expires), and the sign-in codes mailed for an
// interaction (only a keyed hash; one live code per interaction, replaced by a new one).
export const abuse: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('proof_of_work_spent')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('challenge', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('proof_of_work_spent_pk', ['issuer_id', 'challenge'])
      .execute();
    await db.schema.createIndex('proof_of_work_spent_expiry').on('proof_of_work_spent').column('expires_at').execute();
    await db.schema
      .createTable('email_codes')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('interaction_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('code_hash', 'varchar(128)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('email_codes_pk', ['issuer_id', 'interaction_id'])
      .execute();
    await db.schema.createIndex('email_codes_expiry').on('email_codes').column('expires_at').execute();
    await db.schema.createIndex('email_codes_user').on('email_codes').column('user_id').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('email_codes').execute();
    await db.schema.dropTable('proof_of_work_spent').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// Second factors (factors/, docs/accounts.md "Second factors and MFA policy"):
// - totp_factors: one authenticator app per user; the secret is sealed with the master secret
//   (services.box, labelled with the issuer and user so a row cannot be moved), `last_step` is
//   the last RFC 6238 time step accepted, advanced atomically so no code is accepted twice;
//   `confirmed_at` is null while the enrolment waits for its first code.
// - recovery_codes: ten single-use codes per user, only their SHA-256 stored.
// - organizations.mfa: an organization's policy for its members (off, optional, required).
// - clients.require_mfa: the app asks for a second factor on every sign-in.
// The user's rows go with the user (foreign key) and with the issuer (issuers.ts delete).
export const secondFactors: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('totp_factors')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('last_step', 'bigint')
      .addColumn('confirmed_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('totp_factors_pk', ['issuer_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('recovery_codes')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('recovery_codes_pk', ['issuer_id', 'user_id', 'code_hash'])
      .execute();
    await db.schema
      .alterTable('organizations')
      .addColumn('mfa', 'varchar(16)', (c) => c.notNull().defaultTo('off'))
      .execute();
    await db.schema
      .alterTable('clients')
      .addColumn('require_mfa', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('clients').dropColumn('require_mfa').execute();
    await db.schema.alterTable('organizations').dropColumn('mfa').execute();
    await db.schema.dropTable('recovery_codes').execute();
    await db.schema.dropTable('totp_factors').execute();
  },
};

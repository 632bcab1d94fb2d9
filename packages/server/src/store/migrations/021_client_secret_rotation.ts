import type { Kysely, Migration } from 'kysely';

// Secret rotation with an overlap window (services/clients.ts rotateClientSecret): the client
// keeps the hash of its previous secret and the time it stops working, so an app can be
// redeployed with the new secret while the old one still authenticates. Both are read with
// the client row (no extra query on the token endpoint).
export const clientSecretRotation: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('clients').addColumn('previous_secret_hash', 'varchar(128)').execute();
    await db.schema.alterTable('clients').addColumn('previous_secret_expires_at', 'bigint').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('clients').dropColumn('previous_secret_expires_at').execute();
    await db.schema.alterTable('clients').dropColumn('previous_secret_hash').execute();
  },
};

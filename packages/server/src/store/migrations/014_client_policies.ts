import type { Kysely, Migration } from 'kysely';

// Per-client policies (services/clients.ts): whether PKCE is required (`optional` is for
// confidential clients only), and how long a just-rotated refresh token may be presented again
// (0: never). A refresh-token chain remembers the hash of its previous secret for that grace;
// its `created_at` is when it was rotated. Added columns with defaults rewrite no row.
export const clientPolicies: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('clients')
      .addColumn('pkce', 'varchar(16)', (c) => c.notNull().defaultTo('required'))
      .execute();
    await db.schema
      .alterTable('clients')
      .addColumn('refresh_reuse_grace', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('refresh_tokens').addColumn('previous_secret_hash', 'varchar(64)').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('refresh_tokens').dropColumn('previous_secret_hash').execute();
    await db.schema.alterTable('clients').dropColumn('refresh_reuse_grace').execute();
    await db.schema.alterTable('clients').dropColumn('pkce').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// What the consent page shows of an app besides its name (RFC 7591 `logo_uri`, `policy_uri`,
// `tos_uri`): absent for every client registered before. No row is rewritten.
export const clientLinks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const column of ['logo_uri', 'policy_uri', 'tos_uri']) {
      await db.schema.alterTable('clients').addColumn(column, 'varchar(2000)').execute();
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of ['tos_uri', 'policy_uri', 'logo_uri']) await db.schema.alterTable('clients').dropColumn(column).execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// Whether a client's ID tokens carry the profile and email claims even though an access token
// is issued with them (tokens/claim-sources.ts): off by default, as OIDC Core §5.4 has it;
// a compatibility switch for apps that read them from the ID token. No row is rewritten.
export const clientIdTokenClaims: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('clients')
      .addColumn('id_token_claims', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('clients').dropColumn('id_token_claims').execute();
  },
};

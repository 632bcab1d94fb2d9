import type { Kysely, Migration } from 'kysely';

// The OIDC Core §5.5 `claims` parameter (authorize/claims-request.ts): the claim names an
// authorization request asked for in its ID token, kept with its code as a JSON array (null: none
// asked) so the token endpoint releases them under the granted scopes. No row is rewritten.
export const claimsRequest: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('authorization_codes').addColumn('id_token_claims', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('authorization_codes').dropColumn('id_token_claims').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// Federation (federation/*.ts): an issuer's upstream identity providers, the upstream identities
// linked to its users, and the sign-ins in flight to an upstream (state, PKCE, nonce), each
// bound to an interaction and a browser and spent once.
export const federation: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('upstream_providers')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      /** `oidc` (discovery, ID token) or `oauth2` (endpoints given, a userinfo mapping). */
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      /** The preset it was made from (federation/presets.ts), if any. */
      .addColumn('preset', 'varchar(32)')
      .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
      /** The OpenID Provider's issuer identifier (oidc); null for oauth2. */
      .addColumn('issuer_url', 'varchar(2000)')
      .addColumn('authorization_endpoint', 'varchar(2000)')
      .addColumn('token_endpoint', 'varchar(2000)')
      .addColumn('userinfo_endpoint', 'varchar(2000)')
      .addColumn('client_id', 'varchar(500)', (c) => c.notNull())
      /** Sealed with the master secret's box, labelled with the issuer and the provider. */
      .addColumn('client_secret', 'text', (c) => c.notNull())
      .addColumn('scopes', 'varchar(1000)', (c) => c.notNull())
      /** JSON: which upstream claim gives the subject, email, email_verified, name, picture. */
      .addColumn('claim_mapping', 'text', (c) => c.notNull())
      .addColumn('trusted_for_linking', 'integer', (c) => c.notNull())
      /** 1: the upstream `amr` counts toward the MFA policy. */
      .addColumn('trust_amr', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      /**
       * The issuer's default provider (at most one not `off`): `link`, <issuer>/signin goes to it;
       * `always`, sign-ins without a login_hint go to it too instead of the sign-in page.
       */
      .addColumn('default_sign_in', 'varchar(16)', (c) => c.notNull().defaultTo('off'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('upstream_providers_pk', ['issuer_id', 'id'])
      .execute();

    await db.schema
      .createTable('linked_identities')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      /** A deleted user's links go with it. */
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('provider_id', 'varchar(64)', (c) => c.notNull())
      /** The upstream `sub` (or the mapped id of a plain OAuth 2.0 provider). */
      .addColumn('subject', 'varchar(500)', (c) => c.notNull())
      .addColumn('email', 'varchar(320)')
      .addColumn('linked_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();
    await db.schema.createIndex('linked_identities_subject').on('linked_identities').columns(['issuer_id', 'provider_id', 'subject']).unique().execute();
    await db.schema.createIndex('linked_identities_user').on('linked_identities').columns(['issuer_id', 'user_id']).execute();

    await db.schema
      .createTable('upstream_flows')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      /** SHA-256 of the state sent upstream. */
      .addColumn('state_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('provider_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('interaction_id', 'varchar(64)', (c) => c.notNull())
      /** SHA-256 of the secret in the browser's flow cookie. */
      .addColumn('browser_hash', 'varchar(64)', (c) => c.notNull())
      /** The PKCE code verifier, sealed. */
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('nonce', 'varchar(100)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      /** Set when the callback spent it: a second callback with the same state finds it used. */
      .addColumn('used_at', 'bigint')
      /**
       * After the callback, when the upstream identity may only be linked once the existing
       * account proves itself: that user, and the identity to link (federation/prove.ts).
       */
      .addColumn('link_user_id', 'varchar(64)')
      .addColumn('link_subject', 'varchar(500)')
      .addColumn('link_email', 'varchar(320)')
      .addPrimaryKeyConstraint('upstream_flows_pk', ['issuer_id', 'state_hash'])
      .execute();
    await db.schema.createIndex('upstream_flows_interaction').on('upstream_flows').columns(['issuer_id', 'interaction_id']).execute();
    await db.schema.createIndex('upstream_flows_expiry').on('upstream_flows').columns(['issuer_id', 'expires_at']).execute();

    // Enterprise SSO: an organization whose members sign in through one provider only, and the
    // upstream claim whose values give them organization roles just in time.
    await db.schema
      .createTable('organization_sso')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('organization_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('provider_id', 'varchar(64)', (c) => c.notNull())
      /** 1: members sign in through the provider only (no password, passkey or other provider). */
      .addColumn('required', 'integer', (c) => c.notNull())
      /** The upstream claim (e.g. `groups`) whose values role_map maps; null: no membership from it. */
      .addColumn('role_claim', 'varchar(100)')
      /** JSON: { "<upstream value>": ["<organization role>", …] }. */
      .addColumn('role_map', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('organization_sso_pk', ['issuer_id', 'organization_id'])
      .execute();
    await db.schema.createIndex('organization_sso_provider').on('organization_sso').columns(['issuer_id', 'provider_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('organization_sso').execute();
    await db.schema.dropTable('upstream_flows').execute();
    await db.schema.dropTable('linked_identities').execute();
    await db.schema.dropTable('upstream_providers').execute();
  },
};

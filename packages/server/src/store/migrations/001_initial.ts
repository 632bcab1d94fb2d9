import type { Kysely, Migration } from 'kysely';

// Written with the schema builder only, so one migration serves SQLite and PostgreSQL.
export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('clients')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('secret_hash', 'varchar(128)')
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
      .addColumn('grant_types', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('resources', 'text', (c) => c.notNull())
      .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_party', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('id_token_alg', 'varchar(16)', (c) => c.notNull().defaultTo('RS256'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
      .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('password_hash', 'text')
      .addColumn('name', 'varchar(200)')
      .addColumn('given_name', 'varchar(100)')
      .addColumn('family_name', 'varchar(100)')
      .addColumn('preferred_username', 'varchar(100)')
      .addColumn('picture', 'text')
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('alg', 'varchar(16)', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('activates_at', 'bigint', (c) => c.notNull())
      .addColumn('retires_at', 'bigint')
      .addColumn('expires_at', 'bigint')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('sid', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('interactions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('browser_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('prompt', 'varchar(16)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)')
      .addColumn('session_id', 'varchar(64)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('interactions_expires_at').on('interactions').column('expires_at').execute();

    await db.schema
      .createTable('grants')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(64)', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('sid', 'varchar(64)')
      .addColumn('auth_time', 'bigint')
      .addColumn('resource', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('grants_user_client').on('grants').columns(['user_id', 'client_id']).execute();
    await db.schema.createIndex('grants_client_id').on('grants').column('client_id').execute();
    await db.schema.createIndex('grants_expires_at').on('grants').column('expires_at').execute();

    await db.schema
      .createTable('authorization_codes')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('code_challenge', 'varchar(128)', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text')
      .addColumn('sid', 'varchar(64)')
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('resource', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('consumed_at', 'bigint')
      .addColumn('grant_id', 'varchar(64)')
      .execute();
    await db.schema.createIndex('authorization_codes_expires_at').on('authorization_codes').column('expires_at').execute();

    await db.schema
      .createTable('refresh_tokens')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('grant_id', 'varchar(64)', (c) => c.notNull().references('grants.id').onDelete('cascade'))
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('consumed_at', 'bigint')
      .execute();
    await db.schema.createIndex('refresh_tokens_grant_id').on('refresh_tokens').column('grant_id').execute();
    await db.schema.createIndex('refresh_tokens_expires_at').on('refresh_tokens').column('expires_at').execute();

    await db.schema
      .createTable('access_tokens')
      .addColumn('jti', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('grant_id', 'varchar(64)', (c) => c.references('grants.id').onDelete('cascade'))
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(64)')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('access_tokens_grant_id').on('access_tokens').column('grant_id').execute();
    await db.schema.createIndex('access_tokens_expires_at').on('access_tokens').column('expires_at').execute();

    await db.schema
      .createTable('consents')
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('consents_pk', ['user_id', 'client_id'])
      .execute();

    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'varchar(400)', (c) => c.primaryKey())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'rate_limits',
      'consents',
      'access_tokens',
      'refresh_tokens',
      'authorization_codes',
      'grants',
      'interactions',
      'sessions',
      'signing_keys',
      'users',
      'clients',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

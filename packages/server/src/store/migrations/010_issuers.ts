import { type CreateTableBuilder, type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

/** The issuer every row written before there were several belongs to (issuers/ids.ts). */
const DEFAULT = 'default';

/** Tables whose rows gain the issuer they belong to, with nothing else changing. */
const SCOPED_TABLES = [
  'clients',
  'signing_keys',
  'sessions',
  'interactions',
  'authorization_codes',
  'grants',
  'refresh_tokens',
  'access_token_revocations',
  'consents',
  'password_resets',
  'mail_outbox',
];

type Builder = CreateTableBuilder<string, never>;

// The same email may have an account in two issuers: the unique key is (issuer, email).
const usersTable = (t: Builder): Builder =>
  t
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
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
    .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull().defaultTo(DEFAULT))
    .addUniqueConstraint('users_issuer_email', ['issuer_id', 'email']);

const USER_COLUMNS = 'id, email, email_verified, password_hash, name, given_name, family_name, preferred_username, picture, disabled, created_at, updated_at';

/**
 * Organization ids are slugs an operator may choose, so they are unique per issuer: every
 * organization table is keyed by (issuer, …) and its foreign keys carry the issuer.
 */
const ORGANIZATION_TABLES: { name: string; columns: string; build: (t: Builder, suffix: string) => Builder }[] = [
  {
    name: 'organizations',
    columns: 'id, name, suspended, created_at, updated_at',
    build: (t, s) =>
      t
        .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('suspended', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`organizations${s}_pk`, ['issuer_id', 'id']),
  },
  {
    name: 'organization_roles',
    columns: 'organization_id, name, permissions, created_at, updated_at',
    build: (t, s) =>
      t
        .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('organization_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(64)', (c) => c.notNull())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`organization_roles${s}_pk`, ['issuer_id', 'organization_id', 'name'])
        .addForeignKeyConstraint(`organization_roles${s}_organization`, ['issuer_id', 'organization_id'], `organizations${s}`, ['issuer_id', 'id'], (fk) =>
          fk.onDelete('cascade'),
        ),
  },
  {
    name: 'organization_members',
    columns: 'organization_id, user_id, created_at, updated_at',
    build: (t, s) =>
      t
        .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('organization_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`organization_members${s}_pk`, ['issuer_id', 'organization_id', 'user_id'])
        .addForeignKeyConstraint(`organization_members${s}_organization`, ['issuer_id', 'organization_id'], `organizations${s}`, ['issuer_id', 'id'], (fk) =>
          fk.onDelete('cascade'),
        ),
  },
  {
    name: 'organization_member_roles',
    columns: 'organization_id, user_id, role',
    build: (t, s) =>
      t
        .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('organization_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('role', 'varchar(64)', (c) => c.notNull())
        .addPrimaryKeyConstraint(`organization_member_roles${s}_pk`, ['issuer_id', 'organization_id', 'user_id', 'role'])
        .addForeignKeyConstraint(
          `organization_member_roles${s}_member`,
          ['issuer_id', 'organization_id', 'user_id'],
          `organization_members${s}`,
          ['issuer_id', 'organization_id', 'user_id'],
          (fk) => fk.onDelete('cascade'),
        )
        .addForeignKeyConstraint(
          `organization_member_roles${s}_role`,
          ['issuer_id', 'organization_id', 'role'],
          `organization_roles${s}`,
          ['issuer_id', 'organization_id', 'name'],
          (fk) => fk.onDelete('cascade'),
        ),
  },
  {
    name: 'retired_organization_ids',
    columns: 'id, retired_at',
    build: (t, s) =>
      t
        .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('id', 'varchar(64)', (c) => c.notNull())
        .addColumn('retired_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`retired_organization_ids${s}_pk`, ['issuer_id', 'id']),
  },
];

/** SQLite cannot drop a column's UNIQUE: the users table is rebuilt, with foreign keys off meanwhile. */
async function rebuildSqliteUsers(db: Kysely<unknown>): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN`.execute(db);
    await usersTable(db.schema.createTable('users_v2') as unknown as Builder).execute();
    await sql.raw(`INSERT INTO users_v2 (${USER_COLUMNS}) SELECT ${USER_COLUMNS} FROM users`).execute(db);
    await sql`DROP TABLE users`.execute(db);
    await sql`ALTER TABLE users_v2 RENAME TO users`.execute(db);
    const broken = await sql`PRAGMA foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error('migration 010: a foreign key no longer holds after rebuilding users');
    await sql`COMMIT`.execute(db);
  } catch (error) {
    await sql`ROLLBACK`.execute(db).catch(() => {});
    throw error;
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function rebuildOrganizationTables(db: Kysely<unknown>): Promise<void> {
  for (const table of ORGANIZATION_TABLES) {
    await table.build(db.schema.createTable(`${table.name}_v2`) as unknown as Builder, '_v2').execute();
    await sql.raw(`INSERT INTO ${table.name}_v2 (issuer_id, ${table.columns}) SELECT '${DEFAULT}', ${table.columns} FROM ${table.name}`).execute(db);
  }
  // Children first, so no drop cascades into a table still to be copied.
  for (const table of [...ORGANIZATION_TABLES].reverse()) await db.schema.dropTable(table.name).execute();
  for (const table of ORGANIZATION_TABLES) await db.schema.alterTable(`${table.name}_v2`).renameTo(table.name).execute();
  await db.schema.createIndex('organization_members_user_id').on('organization_members').columns(['user_id', 'issuer_id', 'organization_id']).execute();
  await db.schema.createIndex('organization_member_roles_role').on('organization_member_roles').columns(['issuer_id', 'organization_id', 'role']).execute();
}

// Many issuers in one deployment (docs/issuers.md). Every row belongs to one issuer; what existed
// before belongs to the default issuer, so a single-issuer deployment sees no change.
export const issuers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('issuers')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      // A deleted issuer's row stays as a tombstone: its id is never given out again.
      .addColumn('deleted_at', 'bigint')
      .execute();
    await db.schema
      .createTable('issuer_domains')
      .addColumn('domain', 'varchar(253)', (c) => c.primaryKey())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull().references('issuers.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('issuer_domains_issuer_id').on('issuer_domains').column('issuer_id').execute();
    const now = Math.floor(Date.now() / 1000);
    await sql`INSERT INTO issuers (id, name, settings, created_at, updated_at, deleted_at) VALUES (${DEFAULT}, '', '{}', ${now}, ${now}, NULL)`.execute(db);

    for (const table of SCOPED_TABLES) {
      await db.schema
        .alterTable(table)
        .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull().defaultTo(DEFAULT))
        .execute();
    }
    await db.schema.createIndex('clients_issuer_id').on('clients').columns(['issuer_id', 'created_at']).execute();
    await db.schema.createIndex('signing_keys_issuer_id').on('signing_keys').column('issuer_id').execute();

    if (postgres) {
      await db.schema
        .alterTable('users')
        .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull().defaultTo(DEFAULT))
        .execute();
      await sql`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key`.execute(db);
      await sql`ALTER TABLE users ADD CONSTRAINT users_issuer_email UNIQUE (issuer_id, email)`.execute(db);
    } else {
      await rebuildSqliteUsers(db);
    }
    await rebuildOrganizationTables(db);
  },

  async down(): Promise<void> {
    throw new Error('migration 010 (issuers) cannot be undone: rows of several issuers cannot share one namespace again');
  },
};

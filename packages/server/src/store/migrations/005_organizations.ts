import type { Kysely, Migration } from 'kysely';

// Organizations for the `organizations` claim (tokens/organizations-claim.ts). A member's roles
// are rows, not a JSON list, so the foreign keys keep them real: deleting a role takes it away
// from every member, deleting an organization or a user takes their memberships with them. A
// role's permissions are a JSON list, as every other list is (schema.ts): they are only ever
// read whole.
export const organizations: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('organizations')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('suspended', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('organization_roles')
      .addColumn('organization_id', 'varchar(64)', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('permissions', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('organization_roles_pk', ['organization_id', 'name'])
      .execute();

    await db.schema
      .createTable('organization_members')
      .addColumn('organization_id', 'varchar(64)', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('organization_members_pk', ['organization_id', 'user_id'])
      .execute();
    // The claim is read by user at every refresh and userinfo call; the key starts with the organization.
    await db.schema.createIndex('organization_members_user_id').on('organization_members').column('user_id').execute();

    await db.schema
      .createTable('organization_member_roles')
      .addColumn('organization_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('role', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('organization_member_roles_pk', ['organization_id', 'user_id', 'role'])
      .addForeignKeyConstraint(
        'organization_member_roles_member',
        ['organization_id', 'user_id'],
        'organization_members',
        ['organization_id', 'user_id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint('organization_member_roles_role', ['organization_id', 'role'], 'organization_roles', ['organization_id', 'name'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    // Deleting a role finds the members holding it through this, not by scanning the table.
    await db.schema.createIndex('organization_member_roles_role').on('organization_member_roles').columns(['organization_id', 'role']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['organization_member_roles', 'organization_members', 'organization_roles', 'organizations']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

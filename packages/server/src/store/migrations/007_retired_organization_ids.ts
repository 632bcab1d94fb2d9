import type { Kysely, Migration } from 'kysely';

// Apps key their own data by the organization ids of the `organizations` claim, so an id must
// never name a second organization: a deleted organization's id is kept here, and creating an
// organization under it is refused.
export const retiredOrganizationIds: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('retired_organization_ids')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('retired_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('retired_organization_ids').execute();
  },
};

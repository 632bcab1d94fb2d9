import type { Kysely, Migration } from 'kysely';

// A reset mail goes out in the language of the page it was asked from, so the outbox row keeps
// it; rows written before this were asked from English pages.
export const mailLocale: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('mail_outbox')
      .addColumn('locale', 'varchar(16)', (c) => c.notNull().defaultTo('en'))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('mail_outbox').dropColumn('locale').execute();
  },
};

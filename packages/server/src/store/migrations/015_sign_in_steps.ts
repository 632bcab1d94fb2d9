import type { Kysely, Migration } from 'kysely';

// The sign-in steps (signin/policy.ts): an interaction remembers why it waits on its step, a
// session how its user proved who they are (RFC 8176 `amr`, and the `acr` level that makes),
// and a code and its grant carry both so every ID token of the sign-in states them. Sessions
// from before were all password sign-ins; codes and grants from before state nothing.
export const signInSteps: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('interactions').addColumn('reason', 'varchar(40)').execute();
    await db.schema
      .alterTable('sessions')
      .addColumn('amr', 'varchar(200)', (c) => c.notNull().defaultTo('pwd'))
      .execute();
    await db.schema
      .alterTable('sessions')
      .addColumn('acr', 'varchar(100)', (c) => c.notNull().defaultTo('urn:gatehouse:acr:1fa'))
      .execute();
    for (const table of ['authorization_codes', 'grants']) {
      await db.schema.alterTable(table).addColumn('amr', 'varchar(200)').execute();
      await db.schema.alterTable(table).addColumn('acr', 'varchar(100)').execute();
    }
    // A session's end ends the grants signed in through it (sessions.ts): found by sid.
    await db.schema.createIndex('grants_issuer_sid').on('grants').columns(['issuer_id', 'sid']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('grants_issuer_sid').execute();
    for (const table of ['grants', 'authorization_codes', 'sessions']) {
      await db.schema.alterTable(table).dropColumn('acr').execute();
      await db.schema.alterTable(table).dropColumn('amr').execute();
    }
    await db.schema.alterTable('interactions').dropColumn('reason').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// OpenID Connect Back-Channel Logout 1.0 (docs/logout.md): where a client receives logout tokens
// (`backchannel_logout_uri`, null: it does not) and whether it needs `sid` in them
// (`backchannel_logout_session_required`). No row is rewritten; the deliveries themselves are
// event_deliveries rows named `backchannel:<client id>`, on the session's `session.ended` event.
export const backchannelLogout: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('clients').addColumn('backchannel_logout_uri', 'varchar(2000)').execute();
    await db.schema
      .alterTable('clients')
      .addColumn('backchannel_logout_session_required', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('clients').dropColumn('backchannel_logout_session_required').execute();
    await db.schema.alterTable('clients').dropColumn('backchannel_logout_uri').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

// The Admin API's audit log pages an issuer's events newest first by (occurred_at, id), the id
// breaking ties within a second. With id in the index both backends read a page in index order
// and stop at its limit, instead of sorting every event of a busy second; the index replaces
// events_issuer_time (011), whose queries (the overview's counts) use it as a prefix.
export const auditLogIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('events_issuer_time_id').on('events').columns(['issuer_id', 'occurred_at', 'id']).execute();
    await db.schema.dropIndex('events_issuer_time').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('events_issuer_time').on('events').columns(['issuer_id', 'occurred_at']).execute();
    await db.schema.dropIndex('events_issuer_time_id').execute();
  },
};

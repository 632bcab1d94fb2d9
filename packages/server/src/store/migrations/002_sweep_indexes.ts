import type { Kysely, Migration } from 'kysely';

// The periodic clean-up deletes by expiry; without these it scans whole tables as they grow.
export const sweepIndexes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
    await db.schema.createIndex('rate_limits_window_start').on('rate_limits').column('window_start').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('rate_limits_window_start').execute();
    await db.schema.dropIndex('sessions_expires_at').execute();
  },
};

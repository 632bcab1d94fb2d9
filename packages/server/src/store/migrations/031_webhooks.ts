import type { Kysely, Migration } from 'kysely';

// Webhooks (webhooks/*.ts): an issuer's endpoints, the event types each wants, and the log of
// every delivery attempt. The deliveries themselves are rows of event_deliveries (017) with the
// consumer `webhook:<endpoint id>`, written in the transaction of the event they deliver.
export const webhooks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('url', 'varchar(2000)', (c) => c.notNull())
      /** The filter as given, normalised: `grant.revoked,user.*`; its patterns are webhook_endpoint_events. */
      .addColumn('events', 'varchar(2000)', (c) => c.notNull())
      .addColumn('description', 'varchar(500)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('disabled_reason', 'varchar(200)')
      /** The signing secret (`whsec_…`), sealed with the master secret's box. */
      .addColumn('secret', 'text', (c) => c.notNull())
      /** The secret before the last rotation, still signed with until previous_expires_at. */
      .addColumn('previous_secret', 'text')
      .addColumn('previous_expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      /** Since when every attempt has failed; null after a success. */
      .addColumn('failing_since', 'bigint')
      .execute();
    await db.schema.createIndex('webhook_endpoints_issuer').on('webhook_endpoints').columns(['issuer_id', 'enabled']).execute();

    // One row per pattern of an endpoint's filter, so that the event's own INSERT can pick the
    // endpoints it goes to in SQL: `prefix` 1 matches every type starting with `pattern`.
    await db.schema
      .createTable('webhook_endpoint_events')
      .addColumn('endpoint_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('pattern', 'varchar(100)', (c) => c.notNull())
      .addColumn('prefix', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_endpoint_events_pk', ['endpoint_id', 'pattern'])
      .execute();
    await db.schema.createIndex('webhook_endpoint_events_issuer').on('webhook_endpoint_events').column('issuer_id').execute();

    await db.schema
      .createTable('webhook_attempts')
      /** Sortable like event ids: the log pages by it, newest first. */
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('endpoint_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_type', 'varchar(100)', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      /** The HTTP status; null when no response came (refused, timed out, unreachable). */
      .addColumn('status', 'integer')
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      /** The first kilobyte of the response body. */
      .addColumn('response', 'text')
      .addColumn('error', 'varchar(500)')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_attempts_endpoint').on('webhook_attempts').columns(['issuer_id', 'endpoint_id', 'id']).execute();
    await db.schema.createIndex('webhook_attempts_at').on('webhook_attempts').column('at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('webhook_attempts').execute();
    await db.schema.dropTable('webhook_endpoint_events').execute();
    await db.schema.dropTable('webhook_endpoints').execute();
  },
};

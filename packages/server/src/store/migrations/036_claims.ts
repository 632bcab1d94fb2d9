import type { Kysely, Migration } from 'kysely';

// Scopes, APIs and claims per issuer (claims/*.ts). The configuration is small and read whole
// when an issuer's scope is built (issuers/scopes.ts), so it is one table of JSON documents by
// kind; the attribute values are read at every token and userinfo call that releases them.
export const claims: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('claim_config')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      /** api | scope | attribute */
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      /** The API's identifier (RFC 8707 resource URI), the scope's or the attribute's name. */
      .addColumn('name', 'varchar(500)', (c) => c.notNull())
      /** The definition as validated by claims/config.ts, JSON. */
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('claim_config_pk', ['issuer_id', 'kind', 'name'])
      .execute();

    await db.schema
      .createTable('claim_attributes')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      /** user | organization */
      .addColumn('subject_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      /** The value, valid against the attribute's schema when it was written, JSON. */
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('claim_attributes_pk', ['issuer_id', 'subject_kind', 'subject_id', 'name'])
      .execute();

    // Stripe events already applied (claims/stripe.ts): a redelivery is answered and ignored.
    await db.schema
      .createTable('stripe_events')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('stripe_events_pk', ['issuer_id', 'event_id'])
      .execute();
    await db.schema.createIndex('stripe_events_received').on('stripe_events').column('received_at').execute();
    // The Stripe time of the last event applied per subscription: an older one arriving late changes nothing.
    await db.schema
      .createTable('stripe_subscriptions')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('subscription_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('event_created', 'bigint', (c) => c.notNull())
      .addColumn('subject_kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject_id', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('stripe_subscriptions_pk', ['issuer_id', 'subscription_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('stripe_subscriptions').execute();
    await db.schema.dropTable('stripe_events').execute();
    await db.schema.dropTable('claim_attributes').execute();
    await db.schema.dropTable('claim_config').execute();
  },
};

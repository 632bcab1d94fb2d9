import { type Kysely, type Migration, sql } from 'kysely';

// The transactional outbox, generalised: an event (011) that some consumer must act on gets a
// delivery row per consumer in the same transaction, and the consumer's instances take rows
// with a lease, retry with back-off and set them aside as dead letters (events/delivery.ts).
// Mail is the first consumer: the mail outbox's rows (009, 012) become `mail.requested` events
// with a delivery for `mail`, and the old table goes. Webhooks will be the next consumer.

interface OldMail {
  id: string;
  issuer_id: string;
  kind: string;
  recipient: string;
  locale: string;
  created_at: number | string;
  not_before: number | string;
  lease_until: number | string;
  attempts: number;
}

/** An event id as events.ts makes them (time first, so the log sorts), from the old row's own. */
function movedEventId(row: OldMail): string {
  return `${(Number(row.created_at) * 1000).toString(16).padStart(12, '0')}0000${row.id.slice(0, 16)}`;
}

export const eventDeliveries: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('event_deliveries')
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      /** `mail`; `webhook:<id>` next. */
      .addColumn('consumer', 'varchar(100)', (c) => c.notNull())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('not_before', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      /** Set when the consumer gave up: the row stays as a dead letter, never taken again. */
      .addColumn('dead_at', 'bigint')
      .addColumn('last_error', 'varchar(500)')
      .addPrimaryKeyConstraint('event_deliveries_pk', ['event_id', 'consumer'])
      .execute();
    await db.schema.createIndex('event_deliveries_due').on('event_deliveries').columns(['consumer', 'not_before']).execute();
    await db.schema.createIndex('event_deliveries_issuer').on('event_deliveries').column('issuer_id').execute();

    // Nothing a request was promised is lost: every row still in the old outbox moves, with its
    // attempts, back-off and lease (an old instance still sending one keeps it to itself).
    const rows = (await sql<OldMail>`select id, issuer_id, kind, recipient, locale, created_at, not_before, lease_until, attempts from mail_outbox`.execute(db))
      .rows;
    for (const row of rows) {
      const id = movedEventId(row);
      const payload = JSON.stringify({ template: row.kind, recipient: row.recipient, locale: row.locale, data: {} });
      await sql`insert into events (id, issuer_id, type, occurred_at, actor, user_id, client_id, payload)
        values (${id}, ${row.issuer_id}, 'mail.requested', ${Number(row.created_at)}, null, null, null, ${payload})`.execute(db);
      await sql`insert into event_deliveries (event_id, consumer, issuer_id, created_at, not_before, lease_until, attempts, dead_at, last_error)
        values (${id}, 'mail', ${row.issuer_id}, ${Number(row.created_at)}, ${Number(row.not_before)}, ${Number(row.lease_until)}, ${row.attempts}, null, null)`.execute(
        db,
      );
    }
    await db.schema.dropTable('mail_outbox').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('recipient', 'varchar(320)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('not_before', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull().defaultTo('default'))
      .addColumn('locale', 'varchar(16)', (c) => c.notNull().defaultTo('en'))
      .execute();
    await db.schema.createIndex('mail_outbox_not_before').on('mail_outbox').column('not_before').execute();
    const rows = (
      await sql<{
        event_id: string;
        issuer_id: string;
        payload: string;
        created_at: number | string;
        not_before: number | string;
        lease_until: number | string;
        attempts: number;
      }>`
        select d.event_id, d.issuer_id, e.payload, d.created_at, d.not_before, d.lease_until, d.attempts
        from event_deliveries d join events e on e.id = d.event_id
        where d.consumer = 'mail' and d.dead_at is null`.execute(db)
    ).rows;
    for (const row of rows) {
      const mail = JSON.parse(row.payload) as { template: string; recipient: string; locale: string };
      await sql`insert into mail_outbox (id, kind, recipient, created_at, not_before, lease_until, attempts, issuer_id, locale)
        values (${row.event_id}, ${mail.template}, ${mail.recipient}, ${Number(row.created_at)}, ${Number(row.not_before)}, ${Number(row.lease_until)}, ${row.attempts}, ${row.issuer_id}, ${mail.locale})`.execute(
        db,
      );
    }
    await db.schema.dropTable('event_deliveries').execute();
  },
};

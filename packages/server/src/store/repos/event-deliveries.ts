import type { Kysely } from 'kysely';
import type { EventPayloads, EventType, NewEvent } from '../../events/catalog.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { atomically, recordEvent } from './events.js';

/** An event a consumer's instance has taken to deliver, with its lease. */
export interface ClaimedDelivery<T extends EventType = EventType> {
  eventId: string;
  consumer: string;
  /** The issuer the event belongs to. */
  issuerId: string;
  type: T;
  payload: EventPayloads[T];
  occurredAt: number;
  /** When this delivery was queued: the event's time, or a replay's (its retries are counted from here). */
  queuedAt: number;
  userId: string | null;
  clientId: string | null;
  /** Including this one. */
  attempts: number;
}

/** A dead letter: a delivery its consumer gave up. */
export interface DeadDelivery {
  eventId: string;
  consumer: string;
  issuerId: string;
  type: string;
  attempts: number;
  deadAt: number;
  lastError: string | null;
}

/** Candidates read per claim; other instances may take some of them first. */
const CANDIDATES = 8;
const MAX_ERROR = 500;

/**
 * Records `event` with a delivery row for each of `consumers`, in one transaction (the caller's,
 * when `db` is one): the change, its event and the promise to act on it commit together.
 */
export async function recordForDelivery(db: Kysely<Database>, issuer: string, now: number, event: NewEvent, consumers: readonly string[]): Promise<string> {
  return atomically(db, async (trx) => {
    const id = await recordEvent(trx, issuer, now, event);
    if (consumers.length > 0) {
      await trx
        .insertInto('event_deliveries')
        .values(
          consumers.map((consumer) => ({
            event_id: id,
            consumer,
            issuer_id: issuer,
            created_at: now,
            not_before: now,
            lease_until: 0,
            attempts: 0,
            dead_at: null,
            last_error: null,
          })),
        )
        .execute();
    }
    return id;
  });
}

/**
 * Deliveries of events to their consumers: the transactional outbox. Any instance may deliver a
 * row: it first takes a lease on it with a guarded UPDATE, so of instances racing for one row
 * exactly one gets it, and a row whose deliverer died is taken again once its lease runs out.
 * At least once: a deliverer that dies after the consumer acted but before `delivered` leaves
 * the row to be delivered again. The process's, not an issuer's: each row says whose it is.
 */
export class EventDeliveryRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes the longest-waiting due delivery of `consumer` for `leaseSeconds`; undefined when none
   * is due. With `family`, of any consumer `<consumer>:<key>` (webhooks: one per endpoint), read
   * as a range of event_deliveries_due.
   */
  async claim(consumer: string, leaseSeconds: number, family = false): Promise<ClaimedDelivery | undefined> {
    const now = this.clock();
    let select = this.db.selectFrom('event_deliveries').select(['event_id', 'consumer', 'lease_until', 'attempts', 'created_at']);
    // ';' is the character after ':': the range holds exactly the names starting `<consumer>:`.
    select = family ? select.where('consumer', '>', `${consumer}:`).where('consumer', '<', `${consumer};`) : select.where('consumer', '=', consumer);
    const due = await select
      .where('not_before', '<=', now)
      .where('lease_until', '<=', now)
      .where('dead_at', 'is', null)
      .orderBy('not_before')
      .limit(CANDIDATES)
      .execute();
    for (const row of due) {
      const taken = await this.db
        .updateTable('event_deliveries')
        .set({ lease_until: now + leaseSeconds, attempts: row.attempts + 1 })
        .where('event_id', '=', row.event_id)
        .where('consumer', '=', row.consumer)
        .where('lease_until', '=', row.lease_until)
        .where('attempts', '=', row.attempts)
        .where('dead_at', 'is', null)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) continue;
      const event = await this.db.selectFrom('events').selectAll().where('id', '=', row.event_id).executeTakeFirst();
      if (!event) {
        // Its issuer was deleted between the read and the lease: nothing left to deliver.
        await this.delivered(row.event_id, row.consumer);
        continue;
      }
      return {
        eventId: event.id,
        consumer: row.consumer,
        issuerId: event.issuer_id,
        type: event.type as EventType,
        payload: JSON.parse(event.payload) as EventPayloads[EventType],
        occurredAt: Number(event.occurred_at),
        queuedAt: Number(row.created_at),
        userId: event.user_id,
        clientId: event.client_id,
        attempts: row.attempts + 1,
      };
    }
    return undefined;
  }

  /** The consumer is done with it (acted, or had nothing to do): the row goes, the event stays in the log. */
  async delivered(eventId: string, consumer: string): Promise<void> {
    await this.db.deleteFrom('event_deliveries').where('event_id', '=', eventId).where('consumer', '=', consumer).execute();
  }

  /** To be tried again, by any instance, from `notBefore`. */
  async retryAt(eventId: string, consumer: string, notBefore: number, error: string): Promise<void> {
    await this.db
      .updateTable('event_deliveries')
      .set({ not_before: notBefore, lease_until: 0, last_error: error.slice(0, MAX_ERROR) })
      .where('event_id', '=', eventId)
      .where('consumer', '=', consumer)
      .execute();
  }

  /** Given up: kept as a dead letter, never taken again (the maintenance sweep removes old ones). */
  async deadLetter(eventId: string, consumer: string, error: string): Promise<void> {
    await this.db
      .updateTable('event_deliveries')
      .set({ dead_at: this.clock(), lease_until: 0, last_error: error.slice(0, MAX_ERROR) })
      .where('event_id', '=', eventId)
      .where('consumer', '=', consumer)
      .execute();
  }

  /** How many deliveries of `consumer` are still to make (not dead), of any issuer. */
  async pending(consumer: string): Promise<number> {
    const row = await this.db
      .selectFrom('event_deliveries')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('consumer', '=', consumer)
      .where('dead_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Deliveries of `consumer` still to make, counted by issuer (the metrics' backlog gauge). */
  async backlog(consumer: string): Promise<{ issuer: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('event_deliveries')
      .select(['issuer_id', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('consumer', '=', consumer)
      .where('dead_at', 'is', null)
      .groupBy('issuer_id')
      .execute();
    return rows.map((row) => ({ issuer: row.issuer_id, count: Number(row.count) }));
  }

  /** The dead letters of `consumer`, newest first. */
  async dead(consumer: string, limit = 100): Promise<DeadDelivery[]> {
    const rows = await this.db
      .selectFrom('event_deliveries')
      .innerJoin('events', 'events.id', 'event_deliveries.event_id')
      .select([
        'event_deliveries.event_id',
        'event_deliveries.consumer',
        'event_deliveries.issuer_id',
        'events.type',
        'event_deliveries.attempts',
        'event_deliveries.dead_at',
        'event_deliveries.last_error',
      ])
      .where('event_deliveries.consumer', '=', consumer)
      .where('event_deliveries.dead_at', 'is not', null)
      .orderBy('event_deliveries.dead_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      consumer: r.consumer,
      issuerId: r.issuer_id,
      type: r.type,
      attempts: r.attempts,
      deadAt: Number(r.dead_at),
      lastError: r.last_error,
    }));
  }
}

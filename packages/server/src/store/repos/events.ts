import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, Selectable } from 'kysely';
import type { EventType, NewEvent, RecordedEvent } from '../../events/catalog.js';
import { randomToken } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import { allColumns } from '../columns.js';
import { preparedInsert } from '../prepared.js';
import type { Database, EventTable } from '../schema.js';
import { FAN_OUT, isHookable } from './webhook-fan-out.js';

export const EVENT_COLUMNS = allColumns<'events'>()(['id', 'issuer_id', 'type', 'occurred_at', 'actor', 'user_id', 'client_id', 'payload', 'address']);
// Prepared: events are written on hot paths too (a login, a code exchange).
const INSERT_EVENT = preparedInsert('events', EVENT_COLUMNS);

/** Runs `fn` in a transaction: the caller's, when `db` already is one, else a new one. */
export function atomically<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

const acting = new AsyncLocalStorage<{ actor: string; address: string | undefined }>();

/**
 * Runs `fn` on behalf of `actor` (`cli`, `user:<id>`, `client:<id>`), from `address` (the
 * request's IP, for the Admin API and the console): every event it records names them unless
 * the event names its own. Callers at the edge set it once (the CLI's withScope, the API's
 * handler), so repositories deep below need not be handed it.
 */
export function actingAs<T>(actor: string, fn: () => T, address?: string): T {
  return acting.run({ actor, address }, fn);
}

/** The actor `actingAs` set for this call chain, if any. */
export function currentActor(): string | undefined {
  return acting.getStore()?.actor;
}

let sequence = 0;

/**
 * Event ids sort in the order an instance wrote them (wall-clock milliseconds, then a counter),
 * with random bits so instances never collide: the log is stable within the same second.
 */
export function newEventId(): string {
  sequence = (sequence + 1) % 0x10000;
  return `${Date.now().toString(16).padStart(12, '0')}${sequence.toString(16).padStart(4, '0')}${randomToken(8)}`;
}

/** The row `event` is stored as; the one-statement paths insert it from SQL of their own. */
export function eventRow(issuer: string, now: number, event: NewEvent): EventTable {
  return {
    id: newEventId(),
    issuer_id: issuer,
    type: event.type,
    occurred_at: now,
    actor: event.actor ?? currentActor() ?? null,
    address: event.address ?? acting.getStore()?.address ?? null,
    user_id: event.userId ?? null,
    client_id: event.clientId ?? null,
    payload: JSON.stringify(event.payload),
  };
}

/** Writes one event, returning its id; run it on the transaction that makes the change it records. */
export async function recordEvent(db: Kysely<Database>, issuer: string, now: number, event: NewEvent): Promise<string> {
  const row = eventRow(issuer, now, event);
  await writeEventRow(db, row);
  return row.id;
}

/** Writes a row made by eventRow (a hot path builds it with the rest of its statement's values). */
export async function writeEventRow(db: Kysely<Database>, row: EventTable): Promise<void> {
  if (!isHookable(row.type)) {
    await db.executeQuery(INSERT_EVENT(db, row));
    return;
  }
  // With its webhook deliveries (webhook-fan-out.ts), in the same transaction: committed, the
  // event reaches every endpoint that wanted it at that moment, at least once.
  await atomically(db, async (trx) => {
    await trx.executeQuery(INSERT_EVENT(trx, row));
    await trx.executeQuery(FAN_OUT(trx, row.id, row.issuer_id, row.occurred_at, row.type, row.type));
  });
}

export interface EventFilter {
  type?: EventType;
  userId?: string;
  clientId?: string;
  /** Unix seconds, inclusive. */
  since?: number;
  limit?: number;
}

/** What the Admin API's audit log filters by: every field narrows; `before` is a page's cursor. */
export interface AuditQuery {
  /** Any of these types (none: every type). */
  types?: readonly EventType[];
  userId?: string;
  clientId?: string;
  actor?: string;
  /** Unix seconds, inclusive. */
  since?: number;
  /** Unix seconds, inclusive. */
  until?: number;
  /** Only events older than this one (occurred_at, id): the last row of the page before. */
  before?: readonly [number, string];
  /** Rows to read; the API asks for one more than it shows, to know whether a next page exists. */
  limit: number;
}

/** The issuer's events: the audit log, newest first. */
export class EventRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  record(event: NewEvent): Promise<string> {
    return recordEvent(this.db, this.issuer, this.clock(), event);
  }

  async list(filter: EventFilter = {}): Promise<RecordedEvent[]> {
    let query = this.db.selectFrom('events').selectAll().where('issuer_id', '=', this.issuer);
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.userId) query = query.where('user_id', '=', filter.userId);
    if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
    if (filter.since !== undefined) query = query.where('occurred_at', '>=', filter.since);
    const rows = await query
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(filter.limit ?? 100, 1000))
      .execute();
    return rows.map(toRecorded);
  }

  /**
   * A page of the audit log, newest first and stable: ordered by (occurred_at, id), both
   * descending, and continued strictly before the last row shown, so events recorded meanwhile
   * never shift a page (read through events_issuer_time_id, migration 024).
   */
  async page(query: AuditQuery): Promise<RecordedEvent[]> {
    let select = this.db.selectFrom('events').selectAll().where('issuer_id', '=', this.issuer);
    if (query.types && query.types.length > 0) select = select.where('type', 'in', [...query.types]);
    if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
    if (query.clientId !== undefined) select = select.where('client_id', '=', query.clientId);
    if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
    if (query.since !== undefined) select = select.where('occurred_at', '>=', query.since);
    if (query.until !== undefined) select = select.where('occurred_at', '<=', query.until);
    const before = query.before;
    if (before) {
      select = select.where((eb) => eb.or([eb('occurred_at', '<', before[0]), eb.and([eb('occurred_at', '=', before[0]), eb('id', '<', before[1])])]));
    }
    const rows = await select.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(Math.min(query.limit, 1001)).execute();
    return rows.map(toRecorded);
  }

  /**
   * The log oldest first from a point on, at most `limit` rows after (occurred_at, id) `after`:
   * what an export reads page by page, so it never holds the whole log (events_issuer_time_id).
   */
  async ascending(query: {
    types?: readonly EventType[];
    since?: number;
    until?: number;
    after?: readonly [number, string];
    limit: number;
  }): Promise<RecordedEvent[]> {
    let select = this.db.selectFrom('events').selectAll().where('issuer_id', '=', this.issuer);
    if (query.types && query.types.length > 0) select = select.where('type', 'in', [...query.types]);
    if (query.since !== undefined) select = select.where('occurred_at', '>=', query.since);
    if (query.until !== undefined) select = select.where('occurred_at', '<=', query.until);
    const after = query.after;
    if (after) select = select.where((eb) => eb.or([eb('occurred_at', '>', after[0]), eb.and([eb('occurred_at', '=', after[0]), eb('id', '>', after[1])])]));
    const rows = await select.orderBy('occurred_at').orderBy('id').limit(query.limit).execute();
    return rows.map(toRecorded);
  }

  /**
   * Deletes up to `batch` of the oldest events recorded before `before` (the retention,
   * maintenance.ts), except those a consumer still holds a delivery for (a webhook pending or
   * dead-lettered for replay, a mail not sent): those go once their delivery does. Returns how
   * many went; the caller repeats while a batch comes back full.
   */
  async deleteBefore(before: number, batch: number): Promise<number> {
    const doomed = this.db
      .selectFrom('events')
      .select('id')
      .where('issuer_id', '=', this.issuer)
      .where('occurred_at', '<', before)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('event_deliveries').select('event_id').whereRef('event_deliveries.event_id', '=', 'events.id'))),
      )
      .orderBy('occurred_at')
      .limit(batch);
    const result = await this.db.deleteFrom('events').where('id', 'in', doomed).where('issuer_id', '=', this.issuer).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toRecorded(r: Selectable<EventTable>): RecordedEvent {
  return {
    id: r.id,
    issuerId: r.issuer_id,
    type: r.type as EventType,
    occurredAt: Number(r.occurred_at),
    actor: r.actor,
    userId: r.user_id,
    clientId: r.client_id,
    payload: JSON.parse(r.payload) as RecordedEvent['payload'],
    address: r.address,
  };
}

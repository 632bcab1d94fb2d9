import { type Kysely, sql } from 'kysely';
import type { EventType, RecordedEvent } from '../../events/catalog.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** How many events of each type fell on one UTC day (`day`: seconds at its midnight). */
export interface DailyCount {
  day: number;
  type: EventType;
  count: number;
}

const DAY = 86_400;

/** Counts over the audit log for the console's overview, per issuer. */
export class EventStatsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads, and no other. */
    private readonly issuer: string,
  ) {}

  /** Events of `types` per UTC day, over the `days` days that end today (read through the issuer-time index). */
  async daily(types: readonly EventType[], days: number): Promise<DailyCount[]> {
    const since = (Math.floor(this.clock() / DAY) - days + 1) * DAY;
    // Integer division on both backends (bigint on PostgreSQL, integer on SQLite).
    const day = sql<number>`(occurred_at / ${sql.lit(DAY)})`;
    const rows = await this.db
      .selectFrom('events')
      .select([day.as('day'), 'type', (eb) => eb.fn.countAll<number>().as('count')])
      .where('issuer_id', '=', this.issuer)
      .where('occurred_at', '>=', since)
      .where('type', 'in', [...types])
      .groupBy([day, 'type'])
      .execute();
    return rows
      .map((r) => ({ day: Number(r.day) * DAY, type: r.type as EventType, count: Number(r.count) }))
      .sort((a, b) => a.day - b.day || a.type.localeCompare(b.type));
  }

  /** How many distinct users have an event of `type` in the last `seconds`. */
  async distinctUsers(type: EventType, seconds: number): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.count<number>('user_id').distinct().as('users'))
      .where('issuer_id', '=', this.issuer)
      .where('occurred_at', '>=', this.clock() - seconds)
      .where('type', '=', type)
      .executeTakeFirst();
    return Number(row?.users ?? 0);
  }

  /** The newest events of `types`, newest first. */
  async recent(types: readonly EventType[], limit: number): Promise<Omit<RecordedEvent, 'payload'>[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['id', 'issuer_id', 'type', 'occurred_at', 'actor', 'user_id', 'client_id', 'address'])
      .where('issuer_id', '=', this.issuer)
      .where('type', 'in', [...types])
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      issuerId: r.issuer_id,
      type: r.type as EventType,
      occurredAt: Number(r.occurred_at),
      actor: r.actor,
      userId: r.user_id,
      clientId: r.client_id,
      address: r.address,
    }));
  }
}

import { type Kysely, sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** The stored key: throttles are per issuer, so the issuer is part of every key. */
export function rateLimitKey(issuer: string, name: string): string {
  return `${issuer}/${name}`;
}

/**
 * Fixed-window counters kept in the database, so every instance behind a load balancer counts
 * the same failures.
 */
export class RateLimitRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Counts one event and returns the count in the current window. */
  async hit(name: string, windowSeconds: number): Promise<number> {
    const key = rateLimitKey(this.issuer, name);
    const now = this.clock();
    const stale = now - windowSeconds;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: now, count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when rate_limits.window_start <= ${stale} then 1 else rate_limits.count + 1 end`,
          window_start: sql<number>`case when rate_limits.window_start <= ${stale} then ${now} else rate_limits.window_start end`,
        }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** The count in the current window, without counting anything. */
  async count(name: string, windowSeconds: number): Promise<number> {
    const row = await this.db.selectFrom('rate_limits').select(['count', 'window_start']).where('key', '=', rateLimitKey(this.issuer, name)).executeTakeFirst();
    return row && Number(row.window_start) > this.clock() - windowSeconds ? Number(row.count) : 0;
  }

  async reset(name: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', rateLimitKey(this.issuer, name)).execute();
  }
}

import type { Kysely } from 'kysely';
import { randomId } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** Why someone closed their account, as the operator reads it. */
export interface AccountClosure {
  id: string;
  userId: string;
  reason: string;
  details: string | null;
  outcome: 'deleted' | 'anonymised';
  closedAt: number;
}

/** The reasons people gave for closing their accounts (account/close.ts), per issuer. */
export class AccountClosureRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Keeps a closure's reason; run it in the closure's transaction. */
  async record(closure: Omit<AccountClosure, 'id' | 'closedAt'>): Promise<AccountClosure> {
    const row = { id: randomId(), closedAt: this.clock(), ...closure };
    await this.db
      .insertInto('account_closures')
      .values({
        issuer_id: this.issuer,
        id: row.id,
        user_id: row.userId,
        reason: row.reason,
        details: row.details,
        outcome: row.outcome,
        closed_at: row.closedAt,
      })
      .execute();
    return row;
  }

  /** The issuer's closures, newest first. */
  async list(limit = 100): Promise<AccountClosure[]> {
    return this.page({ limit });
  }

  /**
   * A page of the issuer's closures, newest first (time, then id), after `before` (the last
   * row of the previous page); `reason` keeps only one reason.
   */
  async page(options: { limit: number; before?: readonly [number, string] | undefined; reason?: string | undefined }): Promise<AccountClosure[]> {
    let query = this.db.selectFrom('account_closures').selectAll().where('issuer_id', '=', this.issuer);
    if (options.reason !== undefined) query = query.where('reason', '=', options.reason);
    const before = options.before;
    if (before) {
      const [at, id] = before;
      query = query.where((eb) => eb.or([eb('closed_at', '<', at), eb.and([eb('closed_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query.orderBy('closed_at', 'desc').orderBy('id', 'desc').limit(Math.min(options.limit, 1000)).execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      reason: r.reason,
      details: r.details,
      outcome: r.outcome === 'anonymised' ? 'anonymised' : 'deleted',
      closedAt: Number(r.closed_at),
    }));
  }
}

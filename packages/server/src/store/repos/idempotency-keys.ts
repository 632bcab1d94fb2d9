import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** A key's row: still being answered (`status` 0), or the answer kept for its retries. */
export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  /** Sealed (admin/api/idempotency.ts); empty while the first request is under way. */
  response: string;
  createdAt: number;
}

/** How long a key's answer is kept: a day, as payment APIs do. */
export const IDEMPOTENCY_TTL = 86_400;

/** Idempotency-Key answers of the Admin API's creates, per issuer and caller. */
export class IdempotencyKeyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async find(principal: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status', 'response', 'created_at'])
      .where('issuer_id', '=', this.issuer)
      .where('principal', '=', principal)
      .where('key', '=', key)
      .where('created_at', '>', this.clock() - IDEMPOTENCY_TTL)
      .executeTakeFirst();
    return row ? { fingerprint: row.fingerprint, status: Number(row.status), response: row.response, createdAt: Number(row.created_at) } : undefined;
  }

  /**
   * Claims the key for a request about to run: true when this caller holds it now, false when
   * a live row has it (an answer, or a request under way). An expired row is replaced.
   */
  async reserve(principal: string, key: string, fingerprint: string): Promise<boolean> {
    const now = this.clock();
    await this.db
      .deleteFrom('idempotency_keys')
      .where('issuer_id', '=', this.issuer)
      .where('principal', '=', principal)
      .where('key', '=', key)
      .where('created_at', '<=', now - IDEMPOTENCY_TTL)
      .execute();
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ issuer_id: this.issuer, principal, key, fingerprint, status: 0, response: '', created_at: now })
      .onConflict((oc) => oc.columns(['issuer_id', 'principal', 'key']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Keeps the answer of the request that reserved the key. */
  async complete(principal: string, key: string, status: number, response: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status, response })
      .where('issuer_id', '=', this.issuer)
      .where('principal', '=', principal)
      .where('key', '=', key)
      .execute();
  }

  /** Gives the key up (the request failed in a way a retry may not meet again). */
  async release(principal: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('issuer_id', '=', this.issuer)
      .where('principal', '=', principal)
      .where('key', '=', key)
      .where('status', '=', 0)
      .execute();
  }

  /** Deletes every issuer's expired keys (maintenance). */
  static async sweep(db: Kysely<Database>, now: number): Promise<number> {
    const result = await db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<=', now - IDEMPOTENCY_TTL)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

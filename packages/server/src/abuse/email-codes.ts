import type { Kysely } from 'kysely';
import type { Clock } from '../store/clock.js';
import type { Database } from '../store/schema.js';

/**
 * Sign-in codes mailed for an interaction: one live code per interaction (a new mail replaces
 * it), stored as a keyed hash only, and consumed at most once, in one statement.
 */
export class EmailCodeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Stores the code of `interactionId` for `userId`, replacing any earlier one. */
  async put(interactionId: string, userId: string, codeHash: string, ttl: number): Promise<void> {
    const now = this.clock();
    const row = { user_id: userId, code_hash: codeHash, created_at: now, expires_at: now + ttl };
    await this.db
      .insertInto('email_codes')
      .values({ issuer_id: this.issuer, interaction_id: interactionId, ...row })
      .onConflict((oc) => oc.columns(['issuer_id', 'interaction_id']).doUpdateSet(row))
      .execute();
  }

  /**
   * Spends the live code of `interactionId` when its hash is `codeHash`: the user it signs in,
   * or undefined (no code, another code, expired, or already spent by a racing request).
   */
  async consume(interactionId: string, codeHash: string): Promise<string | undefined> {
    const row = await this.db
      .deleteFrom('email_codes')
      .where('issuer_id', '=', this.issuer)
      .where('interaction_id', '=', interactionId)
      .where('code_hash', '=', codeHash)
      .where('expires_at', '>', this.clock())
      .returning('user_id')
      .executeTakeFirst();
    return row?.user_id;
  }

  /** Drops the code of `interactionId` (too many wrong tries: a new one must be asked for). */
  async discard(interactionId: string): Promise<void> {
    await this.db.deleteFrom('email_codes').where('issuer_id', '=', this.issuer).where('interaction_id', '=', interactionId).execute();
  }

  /** Whether `interactionId` has a live code (for tests and tools). */
  async has(interactionId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('email_codes')
      .select('user_id')
      .where('issuer_id', '=', this.issuer)
      .where('interaction_id', '=', interactionId)
      .where('expires_at', '>', this.clock())
      .executeTakeFirst();
    return row !== undefined;
  }
}

import type { Kysely } from 'kysely';
import type { Clock } from '../store/clock.js';
import type { Database } from '../store/schema.js';

/**
 * The proof-of-work solutions an issuer has accepted, each until its salt expires (then the
 * signature check refuses it anyway, and maintenance sweeps the row). Per issuer: a challenge
 * is signed with the issuer's own key, and spent only there.
 */
export class SpentChallengeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Marks `challenge` used; false when it already was (one statement: a race is decided by the primary key). */
  async spend(challenge: string, expiresAt: number): Promise<boolean> {
    const inserted = await this.db
      .insertInto('proof_of_work_spent')
      .values({ issuer_id: this.issuer, challenge, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['issuer_id', 'challenge']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Whether `challenge` was spent here (for tests and tools). */
  async isSpent(challenge: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('proof_of_work_spent')
      .select('challenge')
      .where('issuer_id', '=', this.issuer)
      .where('challenge', '=', challenge)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Removes this issuer's rows whose salts have expired; how many. */
  async sweep(): Promise<number> {
    const result = await this.db
      .deleteFrom('proof_of_work_spent')
      .where('issuer_id', '=', this.issuer)
      .where('expires_at', '<', this.clock())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

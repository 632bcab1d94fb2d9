import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** One-time links that make an issuer's first owner (console/setup.ts), by token hash. */
export class ConsoleSetupLinkRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create(tokenHash: string, ttlSeconds: number): Promise<{ expiresAt: number }> {
    const now = this.clock();
    const expiresAt = now + ttlSeconds;
    await this.db
      .insertInto('console_setup_links')
      .values({ issuer_id: this.issuer, token_hash: tokenHash, created_at: now, expires_at: expiresAt, used_at: null })
      .execute();
    return { expiresAt };
  }

  /** Whether the link is unused and unexpired (the form is shown; nothing is spent). */
  async isLive(tokenHash: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('console_setup_links')
      .select('token_hash')
      .where('issuer_id', '=', this.issuer)
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Spends the link, once: true for exactly one of any number of concurrent callers (the
   * conditional UPDATE is atomic on both backends). Every other live link of the issuer is spent
   * with it, as the issuer then has its owner.
   */
  async consume(tokenHash: string): Promise<boolean> {
    const now = this.clock();
    const spent = await this.db
      .updateTable('console_setup_links')
      .set({ used_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (spent.numUpdatedRows === 0n) return false;
    await this.db.updateTable('console_setup_links').set({ used_at: now }).where('issuer_id', '=', this.issuer).where('used_at', 'is', null).execute();
    return true;
  }
}

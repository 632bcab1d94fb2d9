import type { Kysely } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/**
 * Password-reset tokens: 256 random bits mailed in a link, only their SHA-256 stored. A token is
 * good once, until it expires, and using one spends every other pending token of its user.
 */
export class PasswordResetRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Stores a new token for the user, valid `ttl` seconds, and returns it (for the mail only). */
  async create(userId: string, ttl: number): Promise<string> {
    const token = randomToken(32);
    const now = this.clock();
    await this.db
      .insertInto('password_resets')
      .values({ id: sha256(token), user_id: userId, created_at: now, expires_at: now + ttl, used_at: null, issuer_id: this.issuer })
      .execute();
    return token;
  }

  /** The user of a token that is neither used nor expired, without spending it (to show the form). */
  async findUserId(token: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('password_resets')
      .select('user_id')
      .where('id', '=', sha256(token))
      .where('issuer_id', '=', this.issuer)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .executeTakeFirst();
    return row?.user_id;
  }

  /**
   * Spends a live token and every other pending one of its user; returns the user, or undefined
   * when the token is unknown, used or expired. The guarded UPDATE decides: of concurrent uses
   * exactly one sees the row still unused (PostgreSQL re-checks the WHERE after the row lock,
   * SQLite writes one at a time), so only one of them may change the password.
   */
  async spend(token: string): Promise<string | undefined> {
    const now = this.clock();
    const row = await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', sha256(token))
      .where('issuer_id', '=', this.issuer)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    if (!row) return undefined;
    await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('user_id', '=', row.user_id)
      .where('issuer_id', '=', this.issuer)
      .where('used_at', 'is', null)
      .execute();
    return row.user_id;
  }
}

import type { Kysely, Selectable } from 'kysely';
import { randomId } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, EmailVerificationTable } from '../schema.js';

/** What an address is being proven for: a new account, or a new address of an existing one. */
export type VerificationPurpose = 'sign_up' | 'email_change';

/** An address waiting for its mailed code or link (signup/). */
export interface EmailVerification {
  id: string;
  purpose: VerificationPurpose;
  /** The address to prove, normalized. */
  email: string;
  /** Sign-up: the name and the argon2id hash of the password the account will have. */
  name: string | null;
  passwordHash: string | null;
  /** Email change: whose address it becomes. */
  userId: string | null;
  /** The sign-in (an app's, or the account page's) the sign-up was started in. */
  interactionId: string | null;
  locale: string;
  /** Null until the mail is sent, and for ever when the address has an account already (no code was sent). */
  codeHash: string | null;
  attempts: number;
  createdAt: number;
  expiresAt: number;
}

export interface NewEmailVerification {
  purpose: VerificationPurpose;
  email: string;
  name?: string | null;
  passwordHash?: string | null;
  userId?: string | null;
  interactionId?: string | null;
  locale: string;
}

/** Code guesses one pending verification may have, the right one included: then it is dead. */
export const MAX_CODE_ATTEMPTS = 5;

function toVerification(row: Selectable<EmailVerificationTable>): EmailVerification {
  return {
    id: row.id,
    purpose: row.purpose as VerificationPurpose,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    userId: row.user_id,
    interactionId: row.interaction_id,
    locale: row.locale,
    codeHash: row.code_hash,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

/**
 * Pending address verifications. Each is good once: the code and the link are two ways to spend
 * the same row, and every spend is a guarded UPDATE, so of concurrent uses exactly one wins.
 */
export class EmailVerificationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Stores a pending verification, live `ttl` seconds (the mail gives it its code and link). */
  async create(input: NewEmailVerification, ttl: number): Promise<string> {
    const id = randomId();
    const now = this.clock();
    await this.db
      .insertInto('email_verifications')
      .values({
        issuer_id: this.issuer,
        id,
        purpose: input.purpose,
        email: input.email,
        name: input.name ?? null,
        password_hash: input.passwordHash ?? null,
        user_id: input.userId ?? null,
        interaction_id: input.interactionId ?? null,
        locale: input.locale,
        code_hash: null,
        token_hash: null,
        attempts: 0,
        created_at: now,
        expires_at: now + ttl,
        used_at: null,
      })
      .execute();
    return id;
  }

  /** A verification that is neither spent nor expired. */
  async findLive(id: string): Promise<EmailVerification | undefined> {
    const row = await this.live().where('id', '=', id).executeTakeFirst();
    return row ? toVerification(row) : undefined;
  }

  /** The newest live verification of a sign-in (the code form of that sign-in checks against it). */
  async latestForInteraction(interactionId: string): Promise<EmailVerification | undefined> {
    const row = await this.live().where('interaction_id', '=', interactionId).where('purpose', '=', 'sign_up').orderBy('created_at', 'desc').executeTakeFirst();
    return row ? toVerification(row) : undefined;
  }

  /** The newest live change of address of a user. */
  async latestForUser(userId: string): Promise<EmailVerification | undefined> {
    const row = await this.live().where('user_id', '=', userId).where('purpose', '=', 'email_change').orderBy('created_at', 'desc').executeTakeFirst();
    return row ? toVerification(row) : undefined;
  }

  /** The live verification a link's token belongs to, without spending it (to show the confirm page). */
  async findByToken(tokenHash: string): Promise<EmailVerification | undefined> {
    const row = await this.live().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row ? toVerification(row) : undefined;
  }

  /**
   * Gives a live verification its code and link (as hashes), live `ttl` seconds from now; the
   * earlier ones of the same row stop working. False when it was spent or expired meanwhile.
   */
  async arm(id: string, codeHash: string | null, tokenHash: string | null, ttl: number): Promise<boolean> {
    const now = this.clock();
    const result = await this.db
      .updateTable('email_verifications')
      .set({ code_hash: codeHash, token_hash: tokenHash, attempts: 0, expires_at: now + ttl })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Counts one code guess, before it is compared: the row's stored code hash while guesses are
   * left (null: none was sent), or undefined when the verification is spent, expired or out of
   * guesses. Counting first bounds concurrent guesses too: each takes one of the attempts.
   */
  async countAttempt(id: string): Promise<{ codeHash: string | null } | undefined> {
    const now = this.clock();
    const row = await this.db
      .updateTable('email_verifications')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('attempts', '<', MAX_CODE_ATTEMPTS)
      .returning('code_hash')
      .executeTakeFirst();
    return row ? { codeHash: row.code_hash } : undefined;
  }

  /** Spends a live verification by id (its code was right); undefined when another use was first. */
  async spend(id: string): Promise<EmailVerification | undefined> {
    const now = this.clock();
    const row = await this.db
      .updateTable('email_verifications')
      .set({ used_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row ? toVerification(row) : undefined;
  }

  /** Spends the live verification a link's token belongs to; undefined when it is unknown, spent or expired. */
  async spendByToken(tokenHash: string): Promise<EmailVerification | undefined> {
    const now = this.clock();
    const row = await this.db
      .updateTable('email_verifications')
      .set({ used_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row ? toVerification(row) : undefined;
  }

  /**
   * Spends every other pending verification of the same kind for an address (sign-up: the
   * address now has its account) or of a user (email change: the address was changed).
   */
  async spendPending(match: { email: string; purpose: 'sign_up' } | { userId: string; purpose: 'email_change' }): Promise<void> {
    let update = this.db
      .updateTable('email_verifications')
      .set({ used_at: this.clock() })
      .where('issuer_id', '=', this.issuer)
      .where('purpose', '=', match.purpose)
      .where('used_at', 'is', null);
    update = 'email' in match ? update.where('email', '=', match.email) : update.where('user_id', '=', match.userId);
    await update.execute();
  }

  private live() {
    return this.db
      .selectFrom('email_verifications')
      .selectAll()
      .where('issuer_id', '=', this.issuer)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.clock());
  }
}

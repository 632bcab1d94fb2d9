import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** What a nonce is for: linking a wallet (bound to a session) or the wallet second factor (bound to an interaction). */
export type ChallengePurpose = 'link' | 'sign_in';

export interface NewChallenge {
  purpose: ChallengePurpose;
  /** The session id or the interaction id. */
  binding: string;
  userId: string;
  /** The address a link message names; null for a second-factor challenge (any linked wallet may answer). */
  address: string | null;
  chainId: number;
  ttl: number;
}

export interface Challenge {
  nonce: string;
  userId: string;
  address: string | null;
  chainId: number;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Single-use nonces of wallet signatures. A nonce is 128 random bits as 32 hex digits (EIP-4361
 * wants letters and digits only), good for one purpose, one session or interaction, one user and
 * one issuer, for a few minutes, and once: `consume` spends it with a guarded UPDATE, so of
 * concurrent uses exactly one gets the row. Used rows stay until the maintenance sweep, so a
 * replay finds a spent nonce rather than an unknown one (both are refused alike).
 */
export class WalletChallengeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create(challenge: NewChallenge): Promise<Challenge> {
    const nonce = randomBytes(16).toString('hex');
    const now = this.clock();
    await this.db
      .insertInto('wallet_challenges')
      .values({
        issuer_id: this.issuer,
        nonce,
        purpose: challenge.purpose,
        binding: challenge.binding,
        user_id: challenge.userId,
        address: challenge.address,
        chain_id: challenge.chainId,
        issued_at: now,
        expires_at: now + challenge.ttl,
        used_at: null,
      })
      .execute();
    return { nonce, userId: challenge.userId, address: challenge.address, chainId: challenge.chainId, issuedAt: now, expiresAt: now + challenge.ttl };
  }

  /** How many unspent, unexpired nonces of a purpose one session or interaction holds (to cap them). */
  async countLive(purpose: ChallengePurpose, binding: string): Promise<number> {
    const row = await this.db
      .selectFrom('wallet_challenges')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('issuer_id', '=', this.issuer)
      .where('purpose', '=', purpose)
      .where('binding', '=', binding)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /**
   * Spends a live nonce of this issuer, purpose, binding and user; undefined when it is unknown,
   * another's, used or expired.
   */
  async consume(nonce: string, purpose: ChallengePurpose, binding: string, userId: string): Promise<Challenge | undefined> {
    const now = this.clock();
    const row = await this.db
      .updateTable('wallet_challenges')
      .set({ used_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('nonce', '=', nonce)
      .where('purpose', '=', purpose)
      .where('binding', '=', binding)
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['nonce', 'user_id', 'address', 'chain_id', 'issued_at', 'expires_at'])
      .executeTakeFirst();
    if (!row) return undefined;
    return { nonce: row.nonce, userId: row.user_id, address: row.address, chainId: row.chain_id, issuedAt: row.issued_at, expiresAt: row.expires_at };
  }
}

import { type Kysely, PostgresAdapter } from 'kysely';
import { safeEqual } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { firstRow, prepared } from '../prepared.js';
import { RotationBatcher } from './refresh-rotation-batch.js';
import { type BeforeCommit, type Rotation, rotateRefreshToken } from './refresh-rotation.js';
import { CONSUME_REFRESH_TOKEN, INSERT_REFRESH_TOKEN, type SuccessorOf, newRefreshToken, parseRefreshToken, successorToken } from './refresh-token-rows.js';

const FIND_CHAIN = prepared((db, id: string, issuer: string) =>
  db
    .selectFrom('refresh_tokens')
    .select(['id', 'grant_id', 'client_id', 'secret_hash', 'previous_secret_hash', 'created_at', 'expires_at', 'consumed_at'])
    .where('id', '=', id)
    .where('issuer_id', '=', issuer),
);

export interface RefreshToken {
  id: string;
  grantId: string;
  clientId: string;
  expiresAt: number;
}

export type RefreshConsumeResult =
  | { status: 'ok'; token: RefreshToken }
  | { status: 'reused'; token: RefreshToken }
  /** The just-rotated token within the client's grace: the chain's current successor, unchanged. */
  | { status: 'grace'; token: RefreshToken; successor: string }
  | { status: 'invalid' };

/** A client's reuse grace: how long its just-rotated token stays answerable, and how successors are derived. */
export interface ReuseGrace {
  seconds: number;
  successorOf: SuccessorOf;
}

interface Chain extends RefreshToken {
  consumed: boolean;
  /** Whether the presented secret is the one the last rotation replaced, and when that was. */
  previous: boolean;
  rotatedAt: number;
  liveHash: string;
  ended: boolean;
}

/** Opaque, single-use refresh tokens in chains (refresh-token-rows.ts); only hashes are stored. */
export class RefreshTokenRepository {
  /** PostgreSQL, outside a transaction: concurrent rotations share a statement (refresh-rotation-batch.ts). */
  private readonly batcher: RotationBatcher | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {
    this.batcher = db.getExecutor().adapter instanceof PostgresAdapter && !db.isTransaction ? new RotationBatcher(db, clock) : undefined;
  }

  async create(grantId: string, clientId: string, expiresAt: number): Promise<string> {
    const { token, id, secretHash } = newRefreshToken();
    await this.db.executeQuery(
      INSERT_REFRESH_TOKEN(this.db, {
        id,
        grant_id: grantId,
        client_id: clientId,
        secret_hash: secretHash,
        previous_secret_hash: null,
        created_at: this.clock(),
        expires_at: expiresAt,
        consumed_at: null,
        issuer_id: this.issuer,
      }),
    );
    return token;
  }

  /**
   * The refresh grant's usual case in one step: spends a live token of a live grant whose user
   * is enabled and whose scope covers `asked`, and stores its successor (see
   * refresh-rotation.ts). undefined when any of that is not so; nothing has changed then.
   */
  async rotate<T>(
    token: string,
    clientId: string,
    asked: string[] | null,
    successorOf: SuccessorOf,
    beforeCommit?: BeforeCommit<T>,
  ): Promise<Rotation<T> | undefined> {
    const presented = parseRefreshToken(token);
    return presented
      ? rotateRefreshToken(this.db, this.clock, { ...presented, clientId, issuer: this.issuer }, asked, successorOf, beforeCommit, this.batcher)
      : undefined;
  }

  /**
   * Ends the token's chain in one statement: of concurrent uses exactly one gets 'ok'. 'reused'
   * means the token had been spent (its chain ended, or rotated past it), which the caller
   * answers by revoking the whole grant. Only the chain's own client can use or burn it.
   */
  async consume(token: string, clientId: string, grace?: ReuseGrace): Promise<RefreshConsumeResult> {
    const presented = parseRefreshToken(token);
    if (!presented) return { status: 'invalid' };
    const now = this.clock();
    const row = await firstRow(this.db, CONSUME_REFRESH_TOKEN(this.db, this.issuer, presented.id, presented.secretHash, clientId, now));
    if (row) return { status: 'ok', token: { id: row.id, grantId: row.grant_id, clientId: row.client_id, expiresAt: row.expires_at } };
    const chain = await this.findChain(presented.id, presented.secretHash);
    if (!chain || chain.clientId !== clientId || !chain.consumed) return { status: 'invalid' };
    const spent: RefreshToken = { id: chain.id, grantId: chain.grantId, clientId: chain.clientId, expiresAt: chain.expiresAt };
    if (grace && chain.previous && !chain.ended && chain.expiresAt > now && now - chain.rotatedAt <= grace.seconds) {
      // The chain's current successor, derived again: still the live one only if nothing rotated
      // it further (then the chain would not remember this secret as its previous one either).
      const successor = successorToken(presented, grace.successorOf);
      if (safeEqual(successor.secretHash, chain.liveHash)) return { status: 'grace', token: spent, successor: successor.token };
    }
    return { status: 'reused', token: spent };
  }

  /**
   * Looks a token up without using it (revocation and introspection). A token of a known chain
   * whose secret is not the live one is reported consumed: only the chain's tokens name it, and
   * the chain id is random, so whoever presents it held one of them.
   */
  async find(token: string): Promise<(RefreshToken & { consumed: boolean }) | undefined> {
    const presented = parseRefreshToken(token);
    const chain = presented && (await this.findChain(presented.id, presented.secretHash));
    return chain ? { id: chain.id, grantId: chain.grantId, clientId: chain.clientId, expiresAt: chain.expiresAt, consumed: chain.consumed } : undefined;
  }

  private async findChain(id: string, secretHash: string): Promise<Chain | undefined> {
    const row = await firstRow(this.db, FIND_CHAIN(this.db, id, this.issuer));
    if (!row) return undefined;
    const liveHash = row.secret_hash ?? row.id;
    const consumed = row.consumed_at !== null || !safeEqual(liveHash, secretHash);
    const previous = row.previous_secret_hash !== null && safeEqual(row.previous_secret_hash, secretHash);
    return {
      id: row.id,
      grantId: row.grant_id,
      clientId: row.client_id,
      expiresAt: row.expires_at,
      consumed,
      previous,
      rotatedAt: row.created_at,
      liveHash,
      ended: row.consumed_at !== null,
    };
  }
}

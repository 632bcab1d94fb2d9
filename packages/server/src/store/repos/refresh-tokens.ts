import { type Kysely, PostgresAdapter } from 'kysely';
import { safeEqual } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { firstRow, prepared } from '../prepared.js';
import { RotationBatcher } from './refresh-rotation-batch.js';
import { type BeforeCommit, type Rotation, rotateRefreshToken } from './refresh-rotation.js';
import { CONSUME_REFRESH_TOKEN, INSERT_REFRESH_TOKEN, newRefreshToken, parseRefreshToken } from './refresh-token-rows.js';

const FIND_CHAIN = prepared((db, id: string, issuer: string) =>
  db
    .selectFrom('refresh_tokens')
    .select(['id', 'grant_id', 'client_id', 'secret_hash', 'expires_at', 'consumed_at'])
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
  | { status: 'invalid' };

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
  async rotate<T>(token: string, clientId: string, asked: string[] | null, beforeCommit?: BeforeCommit<T>): Promise<Rotation<T> | undefined> {
    const presented = parseRefreshToken(token);
    return presented ? rotateRefreshToken(this.db, this.clock, { ...presented, clientId, issuer: this.issuer }, asked, beforeCommit, this.batcher) : undefined;
  }

  /**
   * Ends the token's chain in one statement: of concurrent uses exactly one gets 'ok'. 'reused'
   * means the token had been spent (its chain ended, or rotated past it), which the caller
   * answers by revoking the whole grant. Only the chain's own client can use or burn it.
   */
  async consume(token: string, clientId: string): Promise<RefreshConsumeResult> {
    const presented = parseRefreshToken(token);
    if (!presented) return { status: 'invalid' };
    const row = await firstRow(this.db, CONSUME_REFRESH_TOKEN(this.db, this.issuer, presented.id, presented.secretHash, clientId, this.clock()));
    if (row) return { status: 'ok', token: { id: row.id, grantId: row.grant_id, clientId: row.client_id, expiresAt: row.expires_at } };
    const chain = await this.findChain(presented.id, presented.secretHash);
    if (chain && chain.clientId === clientId && chain.consumed) return { status: 'reused', token: chain };
    return { status: 'invalid' };
  }

  /**
   * Looks a token up without using it (revocation and introspection). A token of a known chain
   * whose secret is not the live one is reported consumed: only the chain's tokens name it, and
   * the chain id is random, so whoever presents it held one of them.
   */
  find(token: string): Promise<(RefreshToken & { consumed: boolean }) | undefined> {
    const presented = parseRefreshToken(token);
    return presented ? this.findChain(presented.id, presented.secretHash) : Promise.resolve(undefined);
  }

  private async findChain(id: string, secretHash: string): Promise<(RefreshToken & { consumed: boolean }) | undefined> {
    const row = await firstRow(this.db, FIND_CHAIN(this.db, id, this.issuer));
    if (!row) return undefined;
    const consumed = row.consumed_at !== null || !safeEqual(row.secret_hash ?? row.id, secretHash);
    return { id: row.id, grantId: row.grant_id, clientId: row.client_id, expiresAt: row.expires_at, consumed };
  }
}

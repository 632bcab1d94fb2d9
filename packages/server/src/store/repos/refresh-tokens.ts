import type { Kysely } from 'kysely';
import { sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { firstRow, prepared } from '../prepared.js';
import { type Rotation, rotateRefreshToken } from './refresh-rotation.js';
import { CONSUME_REFRESH_TOKEN, INSERT_REFRESH_TOKEN, newRefreshToken } from './refresh-token-rows.js';

const FIND_CLIENTS_REFRESH_TOKEN = prepared((db, id: string, clientId: string) =>
  db.selectFrom('refresh_tokens').select(['id', 'grant_id', 'client_id', 'expires_at', 'consumed_at']).where('id', '=', id).where('client_id', '=', clientId),
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

/** Opaque, single-use refresh tokens; only their hashes are stored. */
export class RefreshTokenRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(grantId: string, clientId: string, expiresAt: number): Promise<string> {
    const { token, id } = newRefreshToken();
    await this.db.executeQuery(
      INSERT_REFRESH_TOKEN(this.db, {
        id,
        grant_id: grantId,
        client_id: clientId,
        created_at: this.clock(),
        expires_at: expiresAt,
        consumed_at: null,
      }),
    );
    return token;
  }

  /**
   * The refresh grant's usual case in one step: spends a live token of a live grant whose user
   * is enabled and whose scope covers `asked`, and stores its successor (see
   * refresh-rotation.ts). undefined when any of that is not so; nothing has changed then.
   */
  rotate(token: string, clientId: string, asked: string[] | null): Promise<Rotation | undefined> {
    return rotateRefreshToken(this.db, this.clock, { id: sha256(token), clientId }, asked, newRefreshToken());
  }

  /**
   * Uses the token up in one statement: of concurrent uses exactly one gets 'ok'. 'reused' means
   * it had been used before, which the caller answers by revoking the whole grant.
   */
  async consume(token: string, clientId: string): Promise<RefreshConsumeResult> {
    const id = sha256(token);
    const now = this.clock();
    // Bound to the client: a token presented by another client is neither used nor burnt.
    const row = await firstRow(this.db, CONSUME_REFRESH_TOKEN(this.db, id, clientId, now));
    if (row) return { status: 'ok', token: { id: row.id, grantId: row.grant_id, clientId: row.client_id, expiresAt: row.expires_at } };
    const existing = await firstRow(this.db, FIND_CLIENTS_REFRESH_TOKEN(this.db, id, clientId));
    if (existing && existing.consumed_at !== null) {
      return {
        status: 'reused',
        token: { id: existing.id, grantId: existing.grant_id, clientId: existing.client_id, expiresAt: existing.expires_at },
      };
    }
    return { status: 'invalid' };
  }

  /** Looks a token up without using it (revocation and introspection). */
  async find(token: string): Promise<(RefreshToken & { consumed: boolean }) | undefined> {
    const row = await this.db
      .selectFrom('refresh_tokens')
      .select(['id', 'grant_id', 'client_id', 'expires_at', 'consumed_at'])
      .where('id', '=', sha256(token))
      .executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, grantId: row.grant_id, clientId: row.client_id, expiresAt: row.expires_at, consumed: row.consumed_at !== null };
  }
}

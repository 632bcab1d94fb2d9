import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** What a revoked row is: a whole grant (its tokens' `gid`) or one access token (its `jti`). */
export type RevokedKind = 'grant' | 'jti';

/** A position in the feed: entries are ordered by (revoked_at, kind, id) and read strictly after one. */
export interface FeedPosition {
  revokedAt: number;
  kind: RevokedKind | '';
  id: string;
}

export interface RevokedEntry {
  kind: RevokedKind;
  id: string;
  revokedAt: number;
  /** After this time no access token the entry names can still be valid. */
  expiresAt: number;
}

/** The most an access token can live (issuers/settings.ts refuses a longer accessTokenTtl). */
export const MAX_ACCESS_TOKEN_TTL = 86_400;

// Whether rows of `kind` come after `from` in the feed's order, as a condition on revoked_at and
// id alone: kind is a constant within its table, so each table's condition is one index range.
function after(kind: RevokedKind, from: FeedPosition): RawBuilder<boolean> {
  const id = sql.ref(kind === 'grant' ? 'id' : 'jti');
  if (kind > from.kind) return sql<boolean>`revoked_at >= ${from.revokedAt}`;
  if (kind < from.kind) return sql<boolean>`revoked_at > ${from.revokedAt}`;
  return sql<boolean>`(revoked_at > ${from.revokedAt} or (revoked_at = ${from.revokedAt} and ${id} > ${from.id}))`;
}

// Nothing revoked longer ago than a token's lifetime can still name a live token: starting
// there keeps a cursor from long ago (or none) from reading the table's whole history.
function notBefore(from: FeedPosition, earliest: number): FeedPosition {
  return from.revokedAt >= earliest ? from : { revokedAt: earliest, kind: '', id: '' };
}

/**
 * The issuer's revocations in the order they happened, for resource servers that check access
 * tokens themselves (endpoints/revocation-feed.ts): revoked grants and access tokens revoked on
 * their own, only while a token they name can still be unexpired. One statement: each table is
 * read through its (issuer_id, revoked_at, id) index from the cursor (migration 034), and
 * stops at the page's limit.
 */
export class RevocationFeedRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads, and no other. */
    private readonly issuer: string,
  ) {}

  /**
   * Entries after `from`, oldest first, at most `limit`. `accessTokenTtl` is the issuer's: a
   * grant's tokens were all issued by the time it was revoked (or by its own end, if earlier),
   * so none outlives that time plus the lifetime.
   */
  async after(from: FeedPosition, limit: number, accessTokenTtl: number): Promise<RevokedEntry[]> {
    const now = this.clock();
    const grantEnd = sql<number>`(case when expires_at < revoked_at then expires_at else revoked_at end) + ${accessTokenTtl}`;
    const grants = this.db
      .selectFrom('grants')
      .select([sql<string>`'grant'`.as('kind'), 'id', sql<number>`revoked_at`.as('revoked_at'), grantEnd.as('expires_at')])
      .where('issuer_id', '=', this.issuer)
      .where('revoked_at', 'is not', null)
      .where(after('grant', notBefore(from, now - accessTokenTtl)))
      .where(grantEnd, '>', now)
      .orderBy('revoked_at')
      .orderBy('id')
      .limit(limit);
    const tokens = this.db
      .selectFrom('access_token_revocations')
      .select([sql<string>`'jti'`.as('kind'), 'jti as id', 'revoked_at', 'expires_at'])
      .where('issuer_id', '=', this.issuer)
      .where(after('jti', notBefore(from, now - MAX_ACCESS_TOKEN_TTL)))
      .where('expires_at', '>', now)
      .orderBy('revoked_at')
      .orderBy('jti')
      .limit(limit);
    // Each side is a page of its own (at most `limit` rows, read in index order); the union
    // merges the two pages (test/store/query-plans.test.ts knows these names).
    const rows = await this.db
      .selectFrom(grants.as('revoked_grants_page'))
      .selectAll()
      .unionAll(this.db.selectFrom(tokens.as('revoked_tokens_page')).selectAll())
      .orderBy('revoked_at')
      .orderBy('kind')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ kind: r.kind as RevokedKind, id: r.id, revokedAt: Number(r.revoked_at), expiresAt: Number(r.expires_at) }));
  }
}

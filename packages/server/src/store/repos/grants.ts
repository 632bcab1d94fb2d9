import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import { readAmr, storedAmr } from '../../signin/assurance.js';
import { randomToken } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, GrantTable, UserTable } from '../schema.js';
import { GRANT_COLUMNS, USER_COLUMNS, qualified, unprefixed } from '../columns.js';
import { firstRow, prepared, preparedInsert } from '../prepared.js';
import type { GrantEndReason, NewEvent } from '../../events/catalog.js';
import { atomically, eventRow, recordEvent, writeEventRow } from './events.js';
import { type User, toUser } from './users.js';

const INSERT_GRANT = preparedInsert('grants', GRANT_COLUMNS);
// Grant ids are looked up live: not revoked, not past their absolute lifetime.
function liveGrant(db: Kysely<Database>, issuer: string, id: string, now: number) {
  return db
    .selectFrom('grants')
    .where('grants.id', '=', id)
    .where('grants.issuer_id', '=', issuer)
    .where('grants.revoked_at', 'is', null)
    .where('grants.expires_at', '>', now);
}

// An access token's own revocation, checked in the same statement as its grant.
function tokenNotRevoked(jti: string) {
  return (eb: ExpressionBuilder<Database, 'grants'>) =>
    eb.not(
      eb.exists(
        eb.selectFrom('access_token_revocations').select('jti').where('jti', '=', jti).whereRef('access_token_revocations.issuer_id', '=', 'grants.issuer_id'),
      ),
    );
}

const FIND_ACTIVE_GRANT = prepared((db, issuer: string, id: string, now: number) => liveGrant(db, issuer, id, now).select(GRANT_COLUMNS));
const FIND_ACTIVE_GRANT_FOR_TOKEN = prepared((db, issuer: string, id: string, now: number, jti: string) =>
  liveGrant(db, issuer, id, now).select(GRANT_COLUMNS).where(tokenNotRevoked(jti)),
);

// A grant and its user in one row: the user's columns carry a prefix, as both tables have `id`.
export const USER_PREFIX = 'u_';
const GRANT_AND_USER = [...qualified('grants', GRANT_COLUMNS), ...qualified('users', USER_COLUMNS, USER_PREFIX)] as const;
const liveGrantWithUser = (db: Kysely<Database>, issuer: string, id: string, now: number) =>
  liveGrant(db, issuer, id, now).innerJoin('users', 'users.id', 'grants.user_id').select(GRANT_AND_USER);
const FIND_ACTIVE_GRANT_WITH_USER = prepared(liveGrantWithUser);
const FIND_ACTIVE_GRANT_WITH_USER_FOR_TOKEN = prepared((db, issuer: string, id: string, now: number, jti: string) =>
  liveGrantWithUser(db, issuer, id, now).where(tokenNotRevoked(jti)),
);

/** A token family: what one code exchange or one client-credentials request produced. */
export interface Grant {
  id: string;
  clientId: string;
  userId: string | null;
  scope: string;
  sid: string | null;
  authTime: number | null;
  /** How the user signed in, for the grant's ID tokens; undefined/null for client_credentials and older grants. */
  amr: string[] | undefined;
  acr: string | null;
  resource: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A grant to store; amr/acr are absent for client_credentials. */
export type NewGrant = Omit<Grant, 'id' | 'createdAt' | 'revokedAt' | 'expiresAt' | 'amr' | 'acr'> & {
  id?: string;
  amr?: string[] | undefined;
  acr?: string | null;
};

function toGrant(row: Selectable<GrantTable>): Grant {
  return {
    id: row.id,
    clientId: row.client_id,
    userId: row.user_id,
    scope: row.scope,
    sid: row.sid,
    authTime: row.auth_time,
    amr: readAmr(row.amr),
    acr: row.acr,
    resource: row.resource,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** A user's grant together with that user, read in one statement. */
export interface GrantWithUser {
  grant: Grant;
  user: User;
}

export function toGrantWithUser(row: Selectable<GrantTable> & Record<string, unknown>): GrantWithUser {
  return { grant: toGrant(row), user: toUser(unprefixed(row, USER_PREFIX, USER_COLUMNS) as Selectable<UserTable>) };
}

/** A live grant of a user with its app's name and its last refresh (the account page). */
export interface GrantOfApp {
  grant: Grant;
  clientName: string;
  /** When the newest refresh token of the grant was issued; null if it has none. */
  lastRefreshedAt: number | null;
}

/** The scope that lets a grant outlive the session it was signed in through (OIDC Core §11). */
export const OFFLINE_ACCESS = 'offline_access';

/** `grant.created`, as the code exchange records it (code-exchange.ts writes the same row from SQL on PostgreSQL). */
export function grantCreatedEvent(grant: { id: string; client_id: string; user_id: string | null; scope: string }): NewEvent<'grant.created'> {
  return {
    type: 'grant.created',
    actor: `client:${grant.client_id}`,
    userId: grant.user_id,
    clientId: grant.client_id,
    payload: { grant_id: grant.id, scope: grant.scope },
  };
}

async function recordGrantCreated(
  db: Kysely<Database>,
  issuer: string,
  now: number,
  grant: { id: string; client_id: string; user_id: string | null; scope: string },
): Promise<void> {
  await writeEventRow(db, eventRow(issuer, now, grantCreatedEvent(grant)));
}

export function newGrantId(): string {
  return randomToken(16);
}

export class GrantRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create(input: NewGrant, ttl: number): Promise<Grant> {
    const now = this.clock();
    const row = {
      id: input.id ?? newGrantId(),
      client_id: input.clientId,
      user_id: input.userId,
      scope: input.scope,
      sid: input.sid,
      auth_time: input.authTime,
      amr: input.amr ? storedAmr(input.amr) : null,
      acr: input.acr ?? null,
      resource: input.resource,
      created_at: now,
      expires_at: now + ttl,
      revoked_at: null,
      issuer_id: this.issuer,
    };
    await atomically(this.db, async (trx) => {
      await trx.executeQuery(INSERT_GRANT(trx, row));
      await recordGrantCreated(trx, this.issuer, now, row);
    });
    return toGrant(row);
  }

  /** A live grant: not revoked, not past its absolute lifetime. */
  async findActive(id: string): Promise<Grant | undefined> {
    const row = await firstRow(this.db, FIND_ACTIVE_GRANT(this.db, this.issuer, id, this.clock()));
    return row ? toGrant(row) : undefined;
  }

  /**
   * The live grant behind an access token, in one statement: none if the grant was revoked or
   * expired, or the token itself was revoked (checked together so PostgreSQL answers in one
   * round trip).
   */
  async findActiveForAccessToken(id: string, jti: string): Promise<Grant | undefined> {
    const row = await firstRow(this.db, FIND_ACTIVE_GRANT_FOR_TOKEN(this.db, this.issuer, id, this.clock(), jti));
    return row ? toGrant(row) : undefined;
  }

  /** A live user grant and its user (disabled or not), in one round trip. */
  async findActiveWithUser(id: string): Promise<GrantWithUser | undefined> {
    const row = await firstRow(this.db, FIND_ACTIVE_GRANT_WITH_USER(this.db, this.issuer, id, this.clock()));
    return row ? toGrantWithUser(row) : undefined;
  }

  /** As findActiveForAccessToken, with the grant's user: what userinfo needs, in one round trip. */
  async findActiveWithUserForAccessToken(id: string, jti: string): Promise<GrantWithUser | undefined> {
    const row = await firstRow(this.db, FIND_ACTIVE_GRANT_WITH_USER_FOR_TOKEN(this.db, this.issuer, id, this.clock(), jti));
    return row ? toGrantWithUser(row) : undefined;
  }

  /**
   * Revokes a grant: its refresh and access tokens stop working with it; the `grant.revoked`
   * event is written with it, atomically. Returns how many live grants ended (0 or 1). Call it
   * through services/grants.ts (revokeGrant), the one place a grant ends.
   */
  async revoke(id: string, reason: GrantEndReason): Promise<number> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const ended = await trx
        .updateTable('grants')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('issuer_id', '=', this.issuer)
        .where('revoked_at', 'is', null)
        .returning(['id', 'user_id', 'client_id', 'expires_at'])
        .execute();
      return this.recordEnded(trx, ended, reason, now);
    });
  }

  /**
   * Ends the grants that belong to these sessions (OIDC Core §11): every grant signed in through
   * one of them, except those given `offline_access`, which are meant to outlive the sign-in.
   * Their refresh tokens then fail and their access tokens are refused where they are checked.
   */
  async revokeForSessions(sids: readonly string[], reason: GrantEndReason): Promise<number> {
    if (sids.length === 0) return 0;
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const ended = await trx
        .updateTable('grants')
        .set({ revoked_at: now })
        .where('issuer_id', '=', this.issuer)
        .where('sid', 'in', sids)
        .where('revoked_at', 'is', null)
        .where(sql<boolean>`(' ' || scope || ' ') NOT LIKE ${`% ${OFFLINE_ACCESS} %`}`)
        .returning(['id', 'user_id', 'client_id', 'expires_at'])
        .execute();
      return this.recordEnded(trx, ended, reason, now);
    });
  }

  /**
   * Narrows a live grant to `remaining` (a subset of its scope) and records
   * `grant.scope_removed` with it, atomically. Compare-and-set on the scope the caller read
   * (`grant.scope`), so two removals at once cannot bring a removed scope back: false when the
   * grant changed meanwhile, ended, or is not this issuer's. Its access tokens that carry a
   * removed scope are refused from then on (tokens/access-token-check.ts), and its refresh
   * tokens return the narrower scope. Call it through services/grant-scopes.ts.
   */
  async narrowScope(grant: Grant, remaining: readonly string[], removed: readonly string[], by: 'user' | 'admin'): Promise<boolean> {
    const now = this.clock();
    const scope = remaining.join(' ');
    return atomically(this.db, async (trx) => {
      const changed = await trx
        .updateTable('grants')
        .set({ scope })
        .where('id', '=', grant.id)
        .where('issuer_id', '=', this.issuer)
        .where('scope', '=', grant.scope)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n) return false;
      await recordEvent(trx, this.issuer, now, {
        type: 'grant.scope_removed',
        userId: grant.userId,
        clientId: grant.clientId,
        payload: { grant_id: grant.id, removed: [...removed], scope, by },
      });
      return true;
    });
  }

  /** Records each ended grant's event; returns how many of them were still within their lifetime. */
  private async recordEnded(
    trx: Kysely<Database>,
    ended: { id: string; user_id: string | null; client_id: string; expires_at: number }[],
    reason: GrantEndReason,
    now: number,
  ): Promise<number> {
    for (const grant of ended) {
      await recordEvent(trx, this.issuer, now, {
        type: 'grant.revoked',
        userId: grant.user_id,
        clientId: grant.client_id,
        payload: { grant_id: grant.id, reason },
      });
    }
    return ended.filter((g) => Number(g.expires_at) > now).length;
  }

  /** Live grants a user has given, newest first (for the account page and `user disable`). */
  async listForUser(userId: string): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('grants')
      .select(GRANT_COLUMNS)
      .where('user_id', '=', userId)
      .where('issuer_id', '=', this.issuer)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toGrant);
  }

  /**
   * listForUser with each grant's app name and last refresh, in one statement: what the account
   * page shows. The refresh lookup goes through the refresh_tokens_grant_id index.
   */
  async listWithAppsForUser(userId: string): Promise<GrantOfApp[]> {
    const rows = await this.db
      .selectFrom('grants')
      .innerJoin('clients', 'clients.id', 'grants.client_id')
      .select(qualified('grants', GRANT_COLUMNS))
      .select('clients.name as client_name')
      .select((eb) =>
        eb
          .selectFrom('refresh_tokens')
          .whereRef('refresh_tokens.grant_id', '=', 'grants.id')
          .select((r) => r.fn.max('refresh_tokens.created_at').as('at'))
          .as('last_refreshed_at'),
      )
      .where('grants.user_id', '=', userId)
      .where('grants.issuer_id', '=', this.issuer)
      .where('clients.issuer_id', '=', this.issuer)
      .where('grants.revoked_at', 'is', null)
      .where('grants.expires_at', '>', this.clock())
      .orderBy('grants.created_at', 'desc')
      .execute();
    return rows.map((row) => ({
      grant: toGrant(row),
      clientName: row.client_name,
      lastRefreshedAt: row.last_refreshed_at === null ? null : Number(row.last_refreshed_at),
    }));
  }

  /** Revokes every grant of the user (to `clientId` only, with one); see revoke. */
  async revokeAllForUser(userId: string, reason: GrantEndReason, clientId?: string): Promise<number> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      let query = trx
        .updateTable('grants')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('issuer_id', '=', this.issuer)
        .where('revoked_at', 'is', null);
      if (clientId) query = query.where('client_id', '=', clientId);
      return this.recordEnded(trx, await query.returning(['id', 'user_id', 'client_id', 'expires_at']).execute(), reason, now);
    });
  }
}

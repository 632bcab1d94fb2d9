import { webhookFanOut } from './webhook-fan-out.js';
import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { CODE_COLUMNS, GRANT_COLUMNS, REFRESH_TOKEN_COLUMNS, USER_COLUMNS, columnList, columnNames, unprefixed } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import type { AuthorizationCodeTable, Database, UserTable } from '../schema.js';
import { type AuthorizationCode, spendLiveCode, toCode } from './code-rows.js';
import { EVENT_COLUMNS, eventRow } from './events.js';
import { type Grant, GrantRepository, USER_PREFIX, grantCreatedEvent } from './grants.js';
import type { BeforeCommit } from './refresh-rotation.js';
import { INSERT_REFRESH_TOKEN, type NewRefreshToken } from './refresh-token-rows.js';
import { type User, UserRepository, toUser } from './users.js';

/** A code exchanged for a grant: the spent code, its user, the new grant and its refresh token. */
export interface Exchange<T = undefined> {
  code: AuthorizationCode;
  user: User;
  grant: Grant;
  refreshToken: string | undefined;
  /** What `beforeCommit` read. */
  read: T | undefined;
}

/** What the client presented: the code's hash, and what must match the authorization request. */
export interface PresentedCode {
  id: string;
  /** The issuer the code must belong to. */
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** base64url SHA-256 of the code_verifier (RFC 7636 S256). */
  challenge: string;
}

/**
 * PostgreSQL: spend the code, create its grant and the grant's first refresh token in one
 * statement (one round trip, no BEGIN/COMMIT). The UPDATE spends the code only when it is live,
 * the redirect URI and PKCE challenge match and its user is enabled; the two INSERTs read the
 * UPDATE's row, so all three happen or none does, with the grant's `grant.created` event
 * (a fourth INSERT from the same row). The foreign keys are checked at the end of
 * the statement, by when the grant exists. (The challenge is compared by the database, not in
 * constant time: it is no secret, the client sent it through the browser.)
 */
const EXCHANGE_POSTGRES = prepared(
  (
    db: Kysely<Database>,
    issuer: string,
    id: string,
    clientId: string,
    now: number,
    redirectUri: string,
    challenge: string,
    grantId: string,
    grantExpires: number,
    refreshId: string | null,
    refreshHash: string | null,
    eventId: string,
    actor: string,
    address: string | null,
  ) => ({
    compile: () =>
      sql<Selectable<AuthorizationCodeTable> & Record<string, unknown>>`
        WITH spent AS (
          UPDATE authorization_codes SET consumed_at = ${now}, grant_id = ${grantId}
          FROM users
          WHERE authorization_codes.id = ${id} AND authorization_codes.issuer_id = ${issuer} AND authorization_codes.client_id = ${clientId}
            AND authorization_codes.consumed_at IS NULL AND authorization_codes.expires_at > ${now}
            AND authorization_codes.redirect_uri = ${redirectUri} AND authorization_codes.code_challenge = ${challenge}
            AND users.id = authorization_codes.user_id AND users.issuer_id = ${issuer} AND users.disabled = 0
          RETURNING ${columnList(CODE_COLUMNS, 'authorization_codes')}, ${columnList(USER_COLUMNS, 'users', USER_PREFIX)}
        ), created AS (
          INSERT INTO grants (${columnNames(GRANT_COLUMNS)})
          SELECT ${grantId}, spent.client_id, spent.user_id, spent.scope, spent.sid, spent.auth_time, spent.amr, spent.acr, spent.resource, ${now}, ${grantExpires}, NULL, ${issuer} FROM spent
        ), refresh AS (
          INSERT INTO refresh_tokens (${columnNames(REFRESH_TOKEN_COLUMNS)})
          SELECT ${refreshId}::text, ${grantId}, spent.client_id, ${refreshHash}::text, NULL, ${now}, ${grantExpires}, NULL, ${issuer} FROM spent WHERE ${refreshId}::text IS NOT NULL
        ), recorded AS (
          INSERT INTO events (${columnNames(EVENT_COLUMNS)})
          SELECT ${eventId}, ${issuer}, 'grant.created', ${now}, ${actor}, spent.user_id, spent.client_id, json_build_object('grant_id', spent.grant_id, 'scope', spent.scope)::text, ${address}::text FROM spent
        ), hooked AS (
          ${webhookFanOut(eventId, issuer, now, sql.lit('grant.created'), sql.lit('grant.created'), 'spent')}
        )
        SELECT ${columnNames(CODE_COLUMNS, { from: 'spent' })}, ${columnNames(USER_COLUMNS, { from: 'spent', prefix: USER_PREFIX })} FROM spent`.compile(db),
  }),
);

const CONSUME_MATCHING_CODE = prepared(
  (db: Kysely<Database>, issuer: string, id: string, clientId: string, now: number, redirectUri: string, challenge: string, grantId: string) =>
    spendLiveCode(db, issuer, id, clientId, now, grantId)
      .where('redirect_uri', '=', redirectUri)
      .where('code_challenge', '=', challenge)
      .returning(CODE_COLUMNS),
);

/** Thrown inside the SQLite transaction to undo a spend whose user turned out disabled. */
class NotExchanged extends Error {}

/**
 * Exchanges a code whose every check passes (live, unspent, this client's, same redirect URI,
 * matching PKCE challenge, enabled user) for a new grant with id `grant.id`, and the grant's
 * refresh token when `refresh` is given, atomically. Anything else changes nothing and returns
 * undefined: the caller then spends the code and says why on its slower path (a reused code
 * revokes what the first exchange produced).
 */
export async function exchangeCode<T>(
  db: Kysely<Database>,
  clock: Clock,
  presented: PresentedCode,
  grant: { id: string; ttl: number },
  refresh: NewRefreshToken | undefined,
  beforeCommit?: BeforeCommit<T>,
): Promise<Exchange<T> | undefined> {
  const now = clock();
  const expiresAt = now + grant.ttl;
  const grantOf = (code: AuthorizationCode): Grant => ({
    id: grant.id,
    clientId: code.clientId,
    userId: code.userId,
    scope: code.scope,
    sid: code.sid,
    authTime: code.authTime,
    amr: code.amr,
    acr: code.acr,
    resource: code.resource,
    createdAt: now,
    expiresAt,
    revokedAt: null,
  });
  const { issuer, id, clientId, redirectUri, challenge } = presented;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const exchange = async (q: Kysely<Database>): Promise<Exchange<T> | undefined> => {
      const event = eventRow(issuer, now, grantCreatedEvent({ id: grant.id, client_id: clientId, user_id: null, scope: '' }));
      const row = await firstRow(
        q,
        EXCHANGE_POSTGRES(
          q,
          issuer,
          id,
          clientId,
          now,
          redirectUri,
          challenge,
          grant.id,
          expiresAt,
          refresh?.id ?? null,
          refresh?.secretHash ?? null,
          event.id,
          String(event.actor),
          event.address,
        ),
      );
      if (!row) return undefined;
      const code = toCode(row);
      const user = toUser(unprefixed(row, USER_PREFIX, USER_COLUMNS) as Selectable<UserTable>);
      return {
        code,
        user,
        grant: grantOf(code),
        refreshToken: refresh?.token,
        read: await beforeCommit?.(q, user, code.scope, code.resource, code.idTokenClaims),
      };
    };
    // Without a read to make, the one statement commits by itself.
    return beforeCommit ? db.transaction().execute(exchange) : exchange(db);
  }
  // SQLite: the same steps in one transaction (its statements cost no round trip).
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await firstRow(trx, CONSUME_MATCHING_CODE(trx, issuer, id, clientId, now, redirectUri, challenge, grant.id));
      if (!row) throw new NotExchanged();
      const code = toCode(row);
      const user = await new UserRepository(trx, () => now, issuer).findById(code.userId);
      if (!user || user.disabled) throw new NotExchanged();
      const created = await new GrantRepository(trx, () => now, issuer).create(grantOf(code), grant.ttl);
      if (refresh) {
        await trx.executeQuery(
          INSERT_REFRESH_TOKEN(trx, {
            id: refresh.id,
            grant_id: created.id,
            client_id: clientId,
            secret_hash: refresh.secretHash,
            previous_secret_hash: null,
            created_at: now,
            expires_at: created.expiresAt,
            consumed_at: null,
            issuer_id: issuer,
          }),
        );
      }
      return { code, user, grant: created, refreshToken: refresh?.token, read: await beforeCommit?.(trx, user, code.scope, code.resource, code.idTokenClaims) };
    });
  } catch (error) {
    if (error instanceof NotExchanged) return undefined;
    throw error;
  }
}

import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { GRANT_COLUMNS, REFRESH_TOKEN_COLUMNS, USER_COLUMNS, columnList, columnNames } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import type { Database, GrantTable } from '../schema.js';
import { type GrantWithUser, GrantRepository, USER_PREFIX, toGrantWithUser } from './grants.js';
import { CONSUME_REFRESH_TOKEN, INSERT_REFRESH_TOKEN, type NewRefreshToken } from './refresh-token-rows.js';

/** What a successful rotation returns: the live grant, its user, and the new refresh token. */
export interface Rotation extends GrantWithUser {
  refreshToken: string;
}

/**
 * PostgreSQL: the whole rotation in one statement, so one round trip and no BEGIN/COMMIT. The
 * UPDATE spends the token only where its grant is live, its user enabled and the asked scope
 * (space-separated, or NULL for all of the grant's) inside the grant's; the INSERT of the
 * successor reads the UPDATE's row, so both happen or neither does. Concurrent uses of one
 * token serialise on its row lock, and only the first still sees `consumed_at IS NULL`.
 */
const ROTATE_POSTGRES = prepared((db: Kysely<Database>, id: string, clientId: string, now: number, asked: string | null, nextId: string) => ({
  compile: () =>
    sql<Selectable<GrantTable> & Record<string, unknown>>`
      WITH spent AS (
        UPDATE refresh_tokens SET consumed_at = ${now}
        FROM grants JOIN users ON users.id = grants.user_id
        WHERE refresh_tokens.id = ${id} AND refresh_tokens.client_id = ${clientId}
          AND refresh_tokens.consumed_at IS NULL AND refresh_tokens.expires_at > ${now}
          AND grants.id = refresh_tokens.grant_id AND grants.revoked_at IS NULL AND grants.expires_at > ${now}
          AND users.disabled = 0
          AND (${asked}::text IS NULL OR string_to_array(${asked}::text, ' ') <@ string_to_array(grants.scope, ' '))
        RETURNING ${columnList(GRANT_COLUMNS, 'grants')}, ${columnList(USER_COLUMNS, 'users', USER_PREFIX)}
      ), successor AS (
        INSERT INTO refresh_tokens (${columnNames(REFRESH_TOKEN_COLUMNS)})
        SELECT ${nextId}, spent.id, ${clientId}, ${now}, spent.expires_at, NULL FROM spent
      )
      SELECT ${columnNames(GRANT_COLUMNS, { from: 'spent' })}, ${columnNames(USER_COLUMNS, { from: 'spent', prefix: USER_PREFIX })} FROM spent`.compile(db),
}));

/** Thrown inside the SQLite transaction to undo a spend whose grant turned out unusable. */
class NotRotated extends Error {}

function scopeAllowed(asked: string[] | null, granted: string): boolean {
  if (asked === null) return true;
  const have = granted.split(' ');
  return asked.every((s) => have.includes(s));
}

/**
 * Spends a refresh token and issues its successor, atomically, when the token is live and
 * unspent, its grant live, its user enabled and `asked` (distinct, non-empty scopes, or null
 * for the grant's own) within the grant. Anything else changes nothing and returns undefined:
 * the caller then finds out why (a reused token revokes its grant) on its slower path.
 */
export async function rotateRefreshToken(
  db: Kysely<Database>,
  clock: Clock,
  presented: { id: string; clientId: string },
  asked: string[] | null,
  next: NewRefreshToken,
): Promise<Rotation | undefined> {
  const now = clock();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const row = await firstRow(db, ROTATE_POSTGRES(db, presented.id, presented.clientId, now, asked === null ? null : asked.join(' '), next.id));
    return row ? { ...toGrantWithUser(row), refreshToken: next.token } : undefined;
  }
  // SQLite cannot return another table's columns from an UPDATE, and its statements cost no
  // round trip: the same steps in one transaction, undone when the grant turns out unusable.
  try {
    return await db.transaction().execute(async (trx) => {
      const spent = await firstRow(trx, CONSUME_REFRESH_TOKEN(trx, presented.id, presented.clientId, now));
      if (!spent) throw new NotRotated();
      const found = await new GrantRepository(trx, () => now).findActiveWithUser(spent.grant_id);
      if (!found || found.user.disabled || !scopeAllowed(asked, found.grant.scope)) throw new NotRotated();
      await trx.executeQuery(
        INSERT_REFRESH_TOKEN(trx, { id: next.id, grant_id: found.grant.id, client_id: presented.clientId, created_at: now, expires_at: found.grant.expiresAt, consumed_at: null }),
      );
      return { ...found, refreshToken: next.token };
    });
  } catch (error) {
    if (error instanceof NotRotated) return undefined;
    throw error;
  }
}

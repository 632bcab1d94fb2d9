import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { GRANT_COLUMNS, USER_COLUMNS, columnList } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import type { Database, GrantTable } from '../schema.js';
import { type GrantWithUser, GrantRepository, USER_PREFIX, toGrantWithUser } from './grants.js';
import type { RotationBatcher } from './refresh-rotation-batch.js';
import { type PresentedRefreshToken, liveSecretHash, newRefreshToken } from './refresh-token-rows.js';

/** What a successful rotation returns: the live grant, its user, and the new refresh token. */
export interface Rotation<T = undefined> extends GrantWithUser {
  refreshToken: string;
  /** What `beforeCommit` read. */
  read: T | undefined;
}

/**
 * A read that must succeed for a code exchange or a rotation to stand, run in its transaction
 * with the user and the scope (space-separated) it grants: when the read fails, nothing is spent,
 * so the client's retry is not mistaken for the reuse of a spent code or token.
 */
export type BeforeCommit<T> = (trx: Kysely<Database>, userId: string, scope: string) => Promise<T>;

/**
 * PostgreSQL: the whole rotation in one statement, so one round trip and no BEGIN/COMMIT. It
 * overwrites the chain's secret hash only where the presented secret is the live one, the grant
 * live, its user enabled and the asked scope (space-separated, or NULL for all of the grant's)
 * inside the grant's. Neither changed column is indexed, so PostgreSQL updates the row in place
 * (HOT) and checks no foreign key. Concurrent uses of one token serialise on the row lock; the
 * second then finds the hash changed and rotates nothing.
 */
const ROTATE_POSTGRES = prepared((db: Kysely<Database>, id: string, secretHash: string, clientId: string, now: number, asked: string | null, nextHash: string) => ({
  compile: () =>
    sql<Selectable<GrantTable> & Record<string, unknown>>`
      UPDATE refresh_tokens SET secret_hash = ${nextHash}, created_at = ${now}
      FROM grants JOIN users ON users.id = grants.user_id
      WHERE refresh_tokens.id = ${id} AND ${liveSecretHash} = ${secretHash} AND refresh_tokens.client_id = ${clientId}
        AND refresh_tokens.consumed_at IS NULL AND refresh_tokens.expires_at > ${now}
        AND grants.id = refresh_tokens.grant_id AND grants.revoked_at IS NULL AND grants.expires_at > ${now}
        AND users.disabled = 0
        AND (${asked}::text IS NULL OR string_to_array(${asked}::text, ' ') <@ string_to_array(grants.scope, ' '))
      RETURNING ${columnList(GRANT_COLUMNS, 'grants')}, ${columnList(USER_COLUMNS, 'users', USER_PREFIX)}`.compile(db),
}));

/** SQLite: the same overwrite; the grant and user are checked after it, in its transaction. */
const ROTATE_SQLITE = prepared((db: Kysely<Database>, id: string, secretHash: string, clientId: string, now: number, nextHash: string) =>
  db
    .updateTable('refresh_tokens')
    .set({ secret_hash: nextHash, created_at: now })
    .where('id', '=', id)
    .where(liveSecretHash, '=', secretHash)
    .where('client_id', '=', clientId)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['grant_id']),
);

/** Thrown inside the SQLite transaction to undo a spend whose grant turned out unusable. */
class NotRotated extends Error {}

function scopeAllowed(asked: string[] | null, granted: string): boolean {
  if (asked === null) return true;
  const have = granted.split(' ');
  return asked.every((s) => have.includes(s));
}

/**
 * Spends a refresh token and issues its successor in the same chain, atomically, when the token
 * is its chain's live one, unexpired, its grant live, its user enabled and `asked` (distinct,
 * non-empty scopes, or null for the grant's own) within the grant. Anything else changes nothing
 * and returns undefined: the caller then finds out why (a spent token revokes its grant) on its
 * slower path.
 */
export async function rotateRefreshToken<T>(
  db: Kysely<Database>,
  clock: Clock,
  presented: PresentedRefreshToken & { clientId: string },
  asked: string[] | null,
  beforeCommit?: BeforeCommit<T>,
  batcher?: RotationBatcher,
): Promise<Rotation<T> | undefined> {
  const now = clock();
  const { id, secretHash, clientId } = presented;
  const next = newRefreshToken(id);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const rotate = async (q: Kysely<Database>): Promise<Rotation<T> | undefined> => {
      const row = await firstRow(q, ROTATE_POSTGRES(q, id, secretHash, clientId, now, asked === null ? null : asked.join(' '), next.secretHash));
      if (!row) return undefined;
      const found = toGrantWithUser(row);
      return { ...found, refreshToken: next.token, read: await beforeCommit?.(q, found.user.id, found.grant.scope) };
    };
    if (beforeCommit) return db.transaction().execute(rotate);
    // Without a read to make, the one statement commits by itself, together with concurrent ones.
    if (batcher) {
      const found = await batcher.rotate({ id, secretHash, clientId, asked: asked === null ? null : asked.join(' '), nextHash: next.secretHash });
      return found && { ...found, refreshToken: next.token, read: undefined };
    }
    return rotate(db);
  }
  // SQLite cannot return another table's columns from an UPDATE, and its statements cost no
  // round trip: the same steps in one transaction, undone when the grant turns out unusable.
  try {
    return await db.transaction().execute(async (trx) => {
      const spent = await firstRow(trx, ROTATE_SQLITE(trx, id, secretHash, clientId, now, next.secretHash));
      if (!spent) throw new NotRotated();
      const found = await new GrantRepository(trx, () => now).findActiveWithUser(spent.grant_id);
      if (!found || found.user.disabled || !scopeAllowed(asked, found.grant.scope)) throw new NotRotated();
      return { ...found, refreshToken: next.token, read: await beforeCommit?.(trx, found.user.id, found.grant.scope) };
    });
  } catch (error) {
    if (error instanceof NotRotated) return undefined;
    throw error;
  }
}

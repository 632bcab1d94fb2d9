import { type Kysely, PostgresAdapter } from 'kysely';
import type { Clock } from '../clock.js';
import { firstRow, prepared } from '../prepared.js';
import type { Database } from '../schema.js';
import type { User } from './users.js';
import { type GrantWithUser, GrantRepository } from './grants.js';
import { type RotationBatcher, type RotationRequest, rotateMany } from './refresh-rotation-batch.js';
import { type ParsedRefreshToken, type SuccessorOf, liveSecretHash, successorToken } from './refresh-token-rows.js';

/** What a successful rotation returns: the live grant, its user, and the new refresh token. */
export interface Rotation<T = undefined> extends GrantWithUser {
  refreshToken: string;
  /** What `beforeCommit` read. */
  read: T | undefined;
}

/**
 * A read that must succeed for a code exchange or a rotation to stand, run in its transaction
 * with the user, the scope (space-separated) it grants and the resource the grant or code was
 * asked for (null for none), and for a code the claim names its request asked into the ID token
 * (the `claims` parameter): when the read fails, nothing is spent,
 * so the client's retry is not mistaken for the reuse of a spent code or token.
 */
export type BeforeCommit<T> = (trx: Kysely<Database>, user: User, scope: string, resource: string | null, asked?: readonly string[]) => Promise<T>;

/** SQLite: the overwrite of refresh-rotation-batch.ts; the grant and user are checked after it, in its transaction. */
const ROTATE_SQLITE = prepared((db: Kysely<Database>, issuer: string, id: string, secretHash: string, clientId: string, now: number, nextHash: string) =>
  db
    .updateTable('refresh_tokens')
    .set({ previous_secret_hash: liveSecretHash, secret_hash: nextHash, created_at: now })
    .where('id', '=', id)
    .where('issuer_id', '=', issuer)
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
 * Spends a refresh token and issues its successor in the same chain, atomically (remembering
 * the spent secret's hash for the client's reuse grace, see refresh-tokens.ts), when the token
 * is its chain's live one, unexpired, its grant live, its user enabled and `asked` (distinct,
 * non-empty scopes, or null for the grant's own) within the grant. Anything else changes nothing
 * and returns undefined: the caller then finds out why (a spent token revokes its grant) on its
 * slower path.
 */
export async function rotateRefreshToken<T>(
  db: Kysely<Database>,
  clock: Clock,
  presented: ParsedRefreshToken & { clientId: string; issuer: string },
  asked: string[] | null,
  successorOf: SuccessorOf,
  beforeCommit?: BeforeCommit<T>,
  batcher?: RotationBatcher,
): Promise<Rotation<T> | undefined> {
  const now = clock();
  const { issuer, id, secretHash, clientId } = presented;
  const next = successorToken(presented, successorOf);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // One statement (refresh-rotation-batch.ts), for this request alone or with concurrent ones.
    const request: RotationRequest = { issuer, id, secretHash, clientId, asked: asked === null ? null : asked.join(' '), nextHash: next.secretHash };
    if (beforeCommit) {
      return db.transaction().execute(async (trx) => {
        const [found] = await rotateMany(trx, clock, [request]);
        return found && { ...found, refreshToken: next.token, read: await beforeCommit(trx, found.user, found.grant.scope, found.grant.resource) };
      });
    }
    // Without a read to make, the statement commits by itself.
    const found = batcher ? await batcher.rotate(request) : (await rotateMany(db, clock, [request]))[0];
    return found && { ...found, refreshToken: next.token, read: undefined };
  }
  // SQLite cannot return another table's columns from an UPDATE, and its statements cost no
  // round trip: the same steps in one transaction, undone when the grant turns out unusable.
  try {
    return await db.transaction().execute(async (trx) => {
      const spent = await firstRow(trx, ROTATE_SQLITE(trx, issuer, id, secretHash, clientId, now, next.secretHash));
      if (!spent) throw new NotRotated();
      const found = await new GrantRepository(trx, () => now, issuer).findActiveWithUser(spent.grant_id);
      if (!found || found.user.disabled || !scopeAllowed(asked, found.grant.scope)) throw new NotRotated();
      return { ...found, refreshToken: next.token, read: await beforeCommit?.(trx, found.user, found.grant.scope, found.grant.resource) };
    });
  } catch (error) {
    if (error instanceof NotRotated) return undefined;
    throw error;
  }
}

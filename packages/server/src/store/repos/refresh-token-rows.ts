import { type Kysely, sql } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import { REFRESH_TOKEN_COLUMNS } from '../columns.js';
import { prepared, preparedInsert } from '../prepared.js';
import type { Database } from '../schema.js';

/**
 * Refresh tokens are chains: one row per grant's chain, keyed by a random chain id, holding the
 * hash of the one secret that is live now. A token is `ghr_<chain id>.<secret>`; rotating it
 * replaces the row's hash in place (no new row, no index entry, so on PostgreSQL a HOT update),
 * and a token of the chain whose secret is no longer the live one is a spent token.
 *
 * Tokens issued before chains (`ghr_<secret>`, no dot) are rows keyed by the token's hash, with
 * no secret hash: they read as chains whose id and secret hash are both sha256(token)
 * (`liveSecretHash`), and rotate into the new form.
 */
export interface PresentedRefreshToken {
  id: string;
  secretHash: string;
}

/** A token as presented: also its secret, from which its successor is derived. */
export interface ParsedRefreshToken extends PresentedRefreshToken {
  secret: string;
}

/**
 * The secret that succeeds `secret` in chain `id`: a keyed hash only the server computes
 * (grants/refresh-token.ts holds the key). Successors are derived, not drawn, so that within a
 * client's reuse grace the previous token can be answered with the chain's current successor
 * without that secret ever being stored (only its hash is).
 */
export type SuccessorOf = (id: string, secret: string) => string;

/** A new refresh token: the token given to the client, its chain id and the hash stored. */
export interface NewRefreshToken extends PresentedRefreshToken {
  token: string;
}

const PREFIX = 'ghr_';

/** The next token of chain `id` (a new chain when `id` is not given). */
export function newRefreshToken(id: string = randomToken(16)): NewRefreshToken {
  const secret = randomToken(32);
  return { token: `${PREFIX}${id}.${secret}`, id, secretHash: sha256(secret) };
}

/** The successor of a presented token in its chain. */
export function successorToken(presented: ParsedRefreshToken, successorOf: SuccessorOf): NewRefreshToken {
  const secret = successorOf(presented.id, presented.secret);
  return { token: `${PREFIX}${presented.id}.${secret}`, id: presented.id, secretHash: sha256(secret) };
}

/** The chain and secret hash a presented token names; undefined for what cannot be one. */
export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  const dot = token.indexOf('.');
  if (dot === -1) {
    const hash = sha256(token);
    return { id: hash, secretHash: hash, secret: token };
  }
  const id = token.slice(PREFIX.length, dot);
  if (!token.startsWith(PREFIX) || id.length === 0 || id.length > 64) return undefined;
  const secret = token.slice(dot + 1);
  return { id, secretHash: sha256(secret), secret };
}

/** The chain's live secret hash; a row from before chains has none, and is keyed by it. */
export const liveSecretHash = sql<string>`coalesce(refresh_tokens.secret_hash, refresh_tokens.id)`;

export const INSERT_REFRESH_TOKEN = preparedInsert('refresh_tokens', REFRESH_TOKEN_COLUMNS);

/**
 * Ends a chain whose live secret was presented by its own client, while it is unexpired; of
 * concurrent uses exactly one gets its row.
 */
export const CONSUME_REFRESH_TOKEN = prepared((db: Kysely<Database>, issuer: string, id: string, secretHash: string, clientId: string, now: number) =>
  db
    .updateTable('refresh_tokens')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('issuer_id', '=', issuer)
    .where(liveSecretHash, '=', secretHash)
    .where('client_id', '=', clientId)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'grant_id', 'client_id', 'expires_at']),
);

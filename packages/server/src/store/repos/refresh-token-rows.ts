import type { Kysely } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import { REFRESH_TOKEN_COLUMNS } from '../columns.js';
import { prepared, preparedInsert } from '../prepared.js';
import type { Database } from '../schema.js';

/** A new refresh token and the hash it is stored under. */
export interface NewRefreshToken {
  token: string;
  id: string;
}

export function newRefreshToken(): NewRefreshToken {
  const token = `ghr_${randomToken(32)}`;
  return { token, id: sha256(token) };
}

export const INSERT_REFRESH_TOKEN = preparedInsert('refresh_tokens', REFRESH_TOKEN_COLUMNS);

/** Spends a live, unspent token of this client; of concurrent uses exactly one gets its row. */
export const CONSUME_REFRESH_TOKEN = prepared((db: Kysely<Database>, id: string, clientId: string, now: number) =>
  db
    .updateTable('refresh_tokens')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('client_id', '=', clientId)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'grant_id', 'client_id', 'expires_at']),
);

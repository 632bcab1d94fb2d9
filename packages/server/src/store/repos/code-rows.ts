import type { Kysely, Selectable, UpdateQueryBuilder } from 'kysely';
import type { AuthorizationCodeTable, Database } from '../schema.js';
import { readAmr } from '../../signin/assurance.js';

export interface AuthorizationCode {
  id: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce: string | null;
  sid: string | null;
  authTime: number;
  /** The session's amr and acr when the code was issued (undefined/null: an older code). */
  amr: string[] | undefined;
  acr: string | null;
  resource: string | null;
  /** Claim names the `claims` parameter asked for in the ID token (empty: none). */
  idTokenClaims: string[];
  expiresAt: number;
  consumedAt: number | null;
  grantId: string | null;
}

/** A stored code row as the repositories hand it out. */
export function toCode(row: Selectable<AuthorizationCodeTable>): AuthorizationCode {
  return {
    id: row.id,
    clientId: row.client_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    scope: row.scope,
    nonce: row.nonce,
    sid: row.sid,
    authTime: row.auth_time,
    amr: readAmr(row.amr),
    acr: row.acr,
    resource: row.resource,
    idTokenClaims: readClaimNames(row.id_token_claims),
    expiresAt: row.expires_at,
    consumedAt: row.consumed_at,
    grantId: row.grant_id,
  };
}

/** Spends a live, unspent code of this client and names the grant it becomes (callers add checks and RETURNING). */
export function spendLiveCode(
  db: Kysely<Database>,
  issuer: string,
  id: string,
  clientId: string,
  now: number,
  grantId: string,
): UpdateQueryBuilder<Database, 'authorization_codes', 'authorization_codes', object> {
  return db
    .updateTable('authorization_codes')
    .set({ consumed_at: now, grant_id: grantId })
    .where('id', '=', id)
    .where('issuer_id', '=', issuer)
    .where('client_id', '=', clientId)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now);
}

/** The stored claim names of a code; a value that is not an array of strings reads as none. */
function readClaimNames(stored: string | null): string[] {
  if (stored === null) return [];
  const parsed: unknown = JSON.parse(stored);
  return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
}

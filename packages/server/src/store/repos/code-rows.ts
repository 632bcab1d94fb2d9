import type { Selectable } from 'kysely';
import type { AuthorizationCodeTable } from '../schema.js';

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
  resource: string | null;
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
    resource: row.resource,
    expiresAt: row.expires_at,
    consumedAt: row.consumed_at,
    grantId: row.grant_id,
  };
}

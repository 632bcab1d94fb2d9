import { invalidToken } from '../http/bearer.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Grant } from '../store/repos/grants.js';
import type { User } from '../store/repos/users.js';
import type { AccessTokenClaims } from './issuer.js';

export interface ActiveAccessToken {
  claims: AccessTokenClaims;
  /** The live grant of a user's token; absent for client_credentials tokens. */
  grant: Grant | undefined;
}

export interface ActiveUserAccessToken {
  claims: AccessTokenClaims;
  grant: Grant;
  /** The token's user, disabled or not: the caller decides what a disabled user may still do. */
  user: User;
}

async function verifiedClaims(scope: IssuerScope, token: string): Promise<AccessTokenClaims | undefined> {
  if (token.length > 4096) return undefined;
  try {
    return await scope.tokens.verifyAccessToken(token);
  } catch {
    return undefined;
  }
}

const WRONG_AUDIENCE = 'The access token is for another audience; ask for one without resource, or with resource set to the issuer';

/** Whether `audience` is one of the token's (RFC 7519 §4.1.3: a string or an array). */
function isFor(claims: AccessTokenClaims, audience: string): boolean {
  return Array.isArray(claims.aud) ? claims.aud.includes(audience) : claims.aud === audience;
}

/**
 * Whether every scope of the token is still one of its grant's. The grant's scope only ever
 * narrows after it is created (a scope removed on the account page, the console or the Admin
 * API: services/grant-scopes.ts), and a token is issued with its grant's scope or a subset of it,
 * so a token carrying a removed scope fails here while one issued after the narrowing (or by a
 * narrower refresh) keeps working. The grant row is read anyway: this costs no statement.
 */
export function scopeStillGranted(tokenScope: string, grantScope: string): boolean {
  const granted = new Set(grantScope.split(' '));
  return tokenScope.split(' ').every((s) => s === '' || granted.has(s));
}

// A deleted client's grants are deleted with it, so its tokens die here too; a token whose
// scope is no longer all granted is dead too (scopeStillGranted).
function belongsTo(grant: Grant, claims: AccessTokenClaims): boolean {
  return grant.clientId === claims.client_id && grant.userId === claims.sub && typeof claims.scope === 'string' && scopeStillGranted(claims.scope, grant.scope);
}

/**
 * One of Gatehouse's access tokens that is valid right now: signature, issuer and expiry, not
 * revoked on its own, and its grant (if any) still live and still holding every scope of the
 * token. Both are read from the database in one
 * statement, so every instance agrees at once.
 */
export async function activeAccessToken(scope: IssuerScope, token: string): Promise<ActiveAccessToken | undefined> {
  const claims = await verifiedClaims(scope, token);
  if (!claims) return undefined;
  if (claims.gid === undefined) {
    return (await scope.repos.accessTokenRevocations.isRevoked(claims.jti)) ? undefined : { claims, grant: undefined };
  }
  if (typeof claims.gid !== 'string') return undefined;
  const grant = await scope.repos.grants.findActiveForAccessToken(claims.gid, claims.jti);
  if (!grant || !belongsTo(grant, claims)) return undefined;
  return { claims, grant };
}

/**
 * A valid access token issued to a user (not a client_credentials token) for this issuer's own
 * endpoints (its `aud` is the issuer), with that user read in the same statement as the token's
 * grant and revocation.
 */
export async function activeUserAccessToken(scope: IssuerScope, token: string): Promise<ActiveUserAccessToken | undefined> {
  const claims = await verifiedClaims(scope, token);
  if (!claims || typeof claims.gid !== 'string') return undefined;
  // RFC 9068 §4: Gatehouse is a resource server too, and takes only tokens for itself. A token
  // for an API would otherwise read its user's profile here, in that API's hands.
  if (!isFor(claims, scope.url)) throw invalidToken(WRONG_AUDIENCE);
  const found = await scope.repos.grants.findActiveWithUserForAccessToken(claims.gid, claims.jti);
  if (!found || !belongsTo(found.grant, claims)) return undefined;
  return { claims, ...found };
}

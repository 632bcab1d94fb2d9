import type { Services } from '../services.js';
import type { Grant } from '../store/repos/grants.js';
import type { AccessTokenClaims } from './issuer.js';

export interface ActiveAccessToken {
  claims: AccessTokenClaims;
  /** The live grant of a user's token; absent for client_credentials tokens. */
  grant: Grant | undefined;
}

/**
 * One of Gatehouse's access tokens that is valid right now: signature, issuer and expiry, not
 * revoked on its own, and its grant (if any) still live. Both are read from the database in one
 * statement, so every instance agrees at once.
 */
export async function activeAccessToken(services: Services, token: string): Promise<ActiveAccessToken | undefined> {
  if (token.length > 4096) return undefined;
  let claims: AccessTokenClaims;
  try {
    claims = await services.issuer.verifyAccessToken(token);
  } catch {
    return undefined;
  }
  if (claims.gid === undefined) {
    return (await services.repos.accessTokenRevocations.isRevoked(claims.jti)) ? undefined : { claims, grant: undefined };
  }
  if (typeof claims.gid !== 'string') return undefined;
  const grant = await services.repos.grants.findActiveForAccessToken(claims.gid, claims.jti);
  // A deleted client's grants are deleted with it, so its tokens die here too.
  if (!grant || grant.clientId !== claims.client_id || grant.userId !== claims.sub) return undefined;
  return { claims, grant };
}

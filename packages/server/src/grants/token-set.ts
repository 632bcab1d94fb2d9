import type { Services } from '../services.js';
import type { Client } from '../store/repos/clients.js';
import type { Grant } from '../store/repos/grants.js';
import type { Repos } from '../store/repos.js';
import type { User } from '../store/repos/users.js';
import { userClaims } from '../tokens/claims.js';
import { organizationsClaim } from '../tokens/organizations-claim.js';
import type { PlannedAccessToken } from '../tokens/issuer.js';

/** RFC 6749 §5.1 token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface TokenSetInput {
  client: Client;
  grant: Grant;
  user: User;
  scopes: string[];
  nonce?: string | null;
}

/** A token set whose rows are written but whose JWTs are not signed yet. */
export interface RecordedTokenSet {
  input: TokenSetInput;
  access: PlannedAccessToken;
  refreshToken: string | undefined;
}

/** The audience of an access token: the requested resource, else the client's first API, else the issuer. */
export function audienceFor(services: Services, client: Client, resource: string | null): string {
  return resource ?? client.resources[0] ?? services.config.issuer;
}

/**
 * Decides what a user grant returns and writes the only part that is stored: a new refresh
 * token, when the client may refresh. Runs inside the caller's transaction, so the new refresh token exists
 * exactly when the code or old token is spent. Nothing here reads outside that transaction.
 */
export async function recordUserTokens(services: Services, repos: Repos, input: TokenSetInput): Promise<RecordedTokenSet> {
  const { client, grant } = input;
  const refreshToken = client.grantTypes.includes('refresh_token')
    ? await repos.refreshTokens.create(grant.id, client.id, grant.expiresAt)
    : undefined;
  return planUserTokens(services, input, refreshToken);
}

/** The token set of a grant whose refresh token (if any) is already stored. */
export function planUserTokens(services: Services, input: TokenSetInput, refreshToken: string | undefined): RecordedTokenSet {
  const { client, grant, user, scopes } = input;
  const access = services.issuer.planAccessToken({
    clientId: client.id,
    sub: user.id,
    scope: scopes.join(' '),
    audience: audienceFor(services, client, grant.resource),
    grantId: grant.id,
    authTime: grant.authTime,
  });
  return { input, access, refreshToken };
}

/** Signs a recorded token set after its transaction committed: the access token and, for openid, an ID token. */
export async function signUserTokens(services: Services, recorded: RecordedTokenSet): Promise<TokenResponse> {
  const { client, grant, user, scopes, nonce } = recorded.input;
  const wantsIdToken = scopes.includes('openid');
  // Read at every code exchange and refresh, so membership changes show at the next one; read
  // while the access token is signed. Without the organizations scope there is no read at all.
  const claimRead = wantsIdToken ? organizationsClaim(services.repos, user.id, scopes) : undefined;
  const [accessToken, organizations] = claimRead
    ? await Promise.all([services.issuer.signAccessToken(recorded.access), claimRead])
    : [await services.issuer.signAccessToken(recorded.access), undefined];
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: recorded.access.exp - recorded.access.iat,
    scope: recorded.access.input.scope,
  };
  if (recorded.refreshToken) response.refresh_token = recorded.refreshToken;
  if (wantsIdToken) {
    const claims = userClaims(user, scopes);
    if (organizations) claims.organizations = organizations;
    response.id_token = await services.issuer.idToken({
      clientId: client.id,
      alg: client.idTokenAlg,
      sub: user.id,
      authTime: grant.authTime ?? recorded.access.iat,
      nonce,
      sid: grant.sid,
      accessToken,
      claims,
    });
  }
  return response;
}

import { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, ClientAuthRegistry, NONE } from '../auth/client-auth-methods.js';
import { AUTHORIZATION_CHECKS } from '../authorize/checks.js';
import { AuthorizationPipeline } from '../authorize/pipeline.js';
import { AUTHORIZATION_CODE_GRANT } from '../grants/authorization-code.js';
import { CLIENT_CREDENTIALS_GRANT } from '../grants/client-credentials.js';
import { GrantRegistry } from '../grants/registry.js';
import { REFRESH_TOKEN_GRANT } from '../grants/refresh-token.js';
import { ClaimRegistry } from '../tokens/claim-sources.js';
import { EMAIL_SOURCE, OPENID_SOURCE, PROFILE_SOURCE } from '../tokens/claims.js';
import { ORGANIZATIONS_SOURCE } from '../tokens/organizations-claim.js';
import { WALLETS_SOURCE } from '../wallets/claim.js';

/**
 * What an issuer can do, as data: its grant types, client authentication methods, the checks
 * of an authorization request and its claim sources by scope. The endpoints dispatch through
 * them and discovery is derived from them (endpoints/discovery.ts), so a feature added here is
 * advertised exactly when it works. Built once and shared: an issuer with its own entries (custom
 * claim sources, next) gets its own Registries when its scope is built, never per request.
 */
export interface Registries {
  readonly grants: GrantRegistry;
  readonly clientAuth: ClientAuthRegistry;
  /** The checks of /oauth/authorize after the client and redirect URI are known. */
  readonly authorization: AuthorizationPipeline;
  readonly claims: ClaimRegistry;
}

/** Gatehouse's built-in registries, the same for every issuer today. */
export const BUILT_IN_REGISTRIES: Registries = {
  grants: new GrantRegistry([AUTHORIZATION_CODE_GRANT, REFRESH_TOKEN_GRANT, CLIENT_CREDENTIALS_GRANT]),
  clientAuth: new ClientAuthRegistry([CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, NONE]),
  authorization: new AuthorizationPipeline(AUTHORIZATION_CHECKS),
  claims: new ClaimRegistry([OPENID_SOURCE, PROFILE_SOURCE, EMAIL_SOURCE, ORGANIZATIONS_SOURCE, WALLETS_SOURCE]),
};

import { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, ClientAuthRegistry, NONE } from '../auth/client-auth-methods.js';
import { AUTHORIZATION_CHECKS } from '../authorize/checks.js';
import { AuthorizationPipeline } from '../authorize/pipeline.js';
import { AUTHORIZATION_CODE_GRANT } from '../grants/authorization-code.js';
import { CLIENT_CREDENTIALS_GRANT } from '../grants/client-credentials.js';
import { GrantRegistry } from '../grants/registry.js';
import { REFRESH_TOKEN_GRANT } from '../grants/refresh-token.js';
import { ClaimRegistry } from '../tokens/claim-sources.js';
import { BUILT_IN_SOURCES } from '../claims/built-in.js';
import type { ClaimsConfig } from '../claims/config.js';
import { ApiRegistry, NO_APIS, customSources } from '../claims/registries.js';

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
  /** The issuer's APIs (resource servers), custom scopes and attribute schemas (claims/). */
  readonly apis: ApiRegistry;
}

/** Gatehouse's built-in registries, the same for every issuer today. */
export const BUILT_IN_REGISTRIES: Registries = {
  grants: new GrantRegistry([AUTHORIZATION_CODE_GRANT, REFRESH_TOKEN_GRANT, CLIENT_CREDENTIALS_GRANT]),
  clientAuth: new ClientAuthRegistry([CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, NONE]),
  authorization: new AuthorizationPipeline(AUTHORIZATION_CHECKS),
  claims: new ClaimRegistry(BUILT_IN_SOURCES),
  apis: NO_APIS,
};

/**
 * The registries of an issuer with its own scopes, APIs and attributes: built when its scope is
 * (once per issuer revision), the built-in ones shared when it has none.
 */
export function registriesFor(config: ClaimsConfig): Registries {
  if (config.apis.length === 0 && config.scopes.length === 0 && config.attributes.length === 0 && !config.hooks?.length && !config.stripe)
    return BUILT_IN_REGISTRIES;
  const apis = new ApiRegistry(config);
  return { ...BUILT_IN_REGISTRIES, claims: BUILT_IN_REGISTRIES.claims.with(customSources(config, apis)), apis };
}

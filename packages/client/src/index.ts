export { IdpClient } from './idp-client.js';
export { Agent, REFRESH_WINDOW_SECONDS } from './agent.js';
export {
  createResourceServer,
  type AccessTokenClaims,
  type ResourceServer,
  type ResourceServerOptions,
  type VerifyOptions,
} from './resource-server.js';
export type { BearerInput } from './bearer.js';
export type { ClaimRequirement, ClaimRequirements, ClaimValue } from './claim-check.js';
export {
  GatehouseError,
  NetworkError,
  OAuthResponseError,
  ProtocolError,
  BearerTokenError,
  MissingScopeError,
  type ProtocolErrorCode,
  type BearerErrorCode,
} from './errors.js';
export type { Clock } from './clock.js';
export type { FetchLike } from './http.js';
export type { ProviderMetadata } from './discovery.js';
export { JWKS_COOLDOWN_SECONDS, JWKS_MAX_AGE_SECONDS } from './jwks.js';
export { CLIENT_TOKEN_MARGIN_SECONDS } from './token-cache.js';
export type {
  AgentOptions,
  AuthorizationRequest,
  AuthorizationUrlOptions,
  ClientCredentialsOptions,
  ClientCredentialsToken,
  ExchangeCodeOptions,
  IdpClientOptions,
  LogoutUrlOptions,
  OrganizationMembership,
  Profile,
  TokenSet,
} from './types.js';

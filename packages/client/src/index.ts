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
  createRevocationFeed,
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_MAX_BACKOFF_SECONDS,
  type RevocationFeed,
  type RevocationFeedOptions,
} from './revocation-feed.js';
export {
  createRevocationWebhook,
  DEFAULT_GRANT_RETENTION_SECONDS,
  type RevocationWebhook,
  type RevocationWebhookOptions,
} from './revocation-webhook.js';
export type { RevocableClaims, RevocationCheck } from './revocation-list.js';
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
export {
  BACKCHANNEL_LOGOUT_EVENT,
  LOGOUT_TOKEN_MAX_AGE_SECONDS,
  LogoutTokenError,
  MemoryLogoutReplayStore,
  type LogoutReplayStore,
  type LogoutTokenClaims,
  type LogoutTokenErrorCode,
} from './logout-token.js';
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

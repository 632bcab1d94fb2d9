import type { LogoutReplayStore } from './logout-token.js';
import type { Clock } from './clock.js';
import type { FetchLike } from './http.js';

/**
 * The tokens of one signed-in user, as a plain JSON-serialisable object: store it in your
 * server-side session as is, and give it back to `createAgent`. Never send it to the browser.
 */
export interface TokenSet {
  accessToken: string;
  /** Single-use: every refresh returns a new one (persist it in `onRefresh`). */
  refreshToken?: string;
  idToken?: string;
  /**
   * Claims read from userinfo at sign-in because the ID token left them out (the profile and
   * email claims, OIDC Core §5.4); `agent.profile` includes them. Absent when not needed.
   */
  userinfo?: Record<string, unknown>;
  /** When the access token expires, in seconds since the Unix epoch. */
  expiresAt: number;
  /** The granted scopes, space-separated. */
  scope: string;
  tokenType: string;
}

/** An access token obtained with the client_credentials grant (no user, no refresh token). */
export interface ClientCredentialsToken {
  accessToken: string;
  expiresAt: number;
  scope: string;
  tokenType: string;
}

/**
 * One organization membership in the `organizations` claim of the ID token:
 * `[{ "id": "org_1", "roles": ["admin"], "permissions": ["write:projects", "read:billing"] }]`.
 * A permission is `<action>:<resource>`.
 */
export interface OrganizationMembership {
  id: string;
  roles?: string[];
  permissions?: string[];
}

/**
 * The verified ID token claims of the signed-in user, with the claims userinfo added at sign-in
 * where the ID token had none (`tokens.userinfo`).
 */
export interface Profile {
  sub: string;
  iss?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  picture?: string;
  email?: string;
  email_verified?: boolean;
  updated_at?: number;
  auth_time?: number;
  organizations?: OrganizationMembership[];
  [claim: string]: unknown;
}

export interface IdpClientOptions {
  /** The Gatehouse issuer, e.g. `https://id.example.com` (http only for localhost). */
  issuerUrl: string;
  clientId: string;
  /** Omit for a public client (PKCE only). */
  clientSecret?: string;
  redirectUri: string;
  /** Replaces the global fetch for every request to the provider and for `agent.fetch`. */
  fetch?: FetchLike;
  /** Seconds since the epoch; defaults to the system clock. */
  clock?: Clock;
  /** Tolerance for `exp`/`iat`/`nbf` checks on ID tokens and logout tokens. Default 30. */
  clockSkewSeconds?: number;
  /**
   * Where verifyLogoutToken remembers the `jti` of logout tokens it accepted, so none is accepted
   * twice. Default: in this process's memory; share one between instances of the app.
   */
  logoutReplayStore?: LogoutReplayStore;
}

export interface AuthorizationUrlOptions {
  /** Must include `openid`. Default `['openid', 'profile', 'email']`. */
  scopes?: string[];
  prompt?: 'none' | 'login' | 'consent' | (string & {});
  loginHint?: string;
  /** Seconds; pass the same value to `exchangeCode` so `auth_time` is checked. */
  maxAge?: number;
  /**
   * `acr_values` (OIDC Core §3.1.2.1): the authentication context classes asked for, in order of
   * preference, e.g. `['urn:gatehouse:acr:2fa']` for a second factor (step-up). Voluntary: the
   * provider may sign in at another level, so check `agent.profile.acr` before trusting it.
   */
  acrValues?: string[];
  /** RFC 8707 resource indicator(s): the API(s) the access token is for. */
  resource?: string | string[];
}

export interface AuthorizationRequest {
  url: string;
  codeVerifier: string;
  state: string;
  /** base64url(SHA-256("nonce:" + codeVerifier)): the verifier alone is enough to check it. */
  nonce: string;
}

export interface AgentOptions {
  /** Called with the new tokens after every refresh; persist them (the old refresh token is spent). */
  onRefresh?: (tokens: TokenSet) => void | Promise<void>;
  /** Called when the grant is gone (`invalid_grant`): sign the user out. The call then throws. */
  onRefreshError?: (error: Error) => void | Promise<void>;
}

export interface ExchangeCodeOptions extends AgentOptions {
  codeVerifier: string;
  /** Required when you pass the callback URL; compared with the `state` it carries. */
  state?: string;
  nonce: string;
  /** The `maxAge` you sent, if any: then `auth_time` must be recent enough. */
  maxAge?: number;
}

export interface ClientCredentialsOptions {
  scopes?: string[];
  resource?: string | string[];
}

export interface LogoutUrlOptions {
  idTokenHint?: string;
  postLogoutRedirectUri?: string;
  state?: string;
}

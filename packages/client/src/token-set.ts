import { decodeJwt } from 'jose';
import type * as oauth from 'oauth4webapi';
import type { TokenSet } from './types.js';

/** Used only when the provider gives neither `expires_in` nor a readable `exp`: refresh early. */
const UNKNOWN_LIFETIME_SECONDS = 300;

/** When the access token expires: `expires_in`, else the JWT `exp`, else soon. */
export function expiresAt(response: oauth.TokenEndpointResponse, now: number): number {
  if (typeof response.expires_in === 'number') return now + response.expires_in;
  try {
    const { exp } = decodeJwt(response.access_token);
    if (typeof exp === 'number') return exp;
  } catch {
    // An opaque access token: nothing to read.
  }
  return now + UNKNOWN_LIFETIME_SECONDS;
}

/**
 * The token endpoint response as a TokenSet. What the response leaves out (scope, refresh token,
 * ID token) carries over from `previous`, as RFC 6749 §5.1 and §6 allow.
 */
export function toTokenSet(
  response: oauth.TokenEndpointResponse,
  now: number,
  previous: { scope: string; refreshToken?: string; idToken?: string; userinfo?: Record<string, unknown> },
): TokenSet {
  const tokens: TokenSet = {
    accessToken: response.access_token,
    expiresAt: expiresAt(response, now),
    scope: response.scope ?? previous.scope,
    tokenType: response.token_type === 'bearer' ? 'Bearer' : response.token_type,
  };
  const refreshToken = response.refresh_token ?? previous.refreshToken;
  const idToken = response.id_token ?? previous.idToken;
  if (refreshToken) tokens.refreshToken = refreshToken;
  if (idToken) tokens.idToken = idToken;
  // Read at sign-in (userinfo.ts); the same user's, so it holds across refreshes.
  if (previous.userinfo) tokens.userinfo = previous.userinfo;
  return tokens;
}

/** A stored TokenSet must at least have these, or it did not come from this SDK. */
export function assertTokenSet(value: unknown): asserts value is TokenSet {
  const t = value as Partial<TokenSet> | null;
  if (typeof t !== 'object' || t === null) throw new TypeError('tokens must be the object from agent.tokens');
  if (typeof t.accessToken !== 'string' || !t.accessToken) throw new TypeError('tokens.accessToken must be a string');
  if (typeof t.expiresAt !== 'number' || !Number.isFinite(t.expiresAt)) throw new TypeError('tokens.expiresAt must be a number');
  if (t.refreshToken !== undefined && typeof t.refreshToken !== 'string') throw new TypeError('tokens.refreshToken must be a string');
  if (typeof t.idToken !== 'string' || !t.idToken) throw new TypeError('tokens.idToken is required: an agent is a signed-in user');
  if (t.userinfo !== undefined && (typeof t.userinfo !== 'object' || t.userinfo === null || Array.isArray(t.userinfo)))
    throw new TypeError('tokens.userinfo must be an object');
}

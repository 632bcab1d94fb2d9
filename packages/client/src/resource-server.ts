import { type JWTPayload, errors as jose, jwtVerify } from 'jose';
import { type BearerInput, bearerToken } from './bearer.js';
import { type Clock, systemClock } from './clock.js';
import { Discovery } from './discovery.js';
import { type ClaimRequirements, firstUnmet } from './claim-check.js';
import { BearerTokenError } from './errors.js';
import { type FetchLike, providerHttp } from './http.js';
import { JwksCache } from './jwks.js';
import { toSdkError } from './map-error.js';
import type { RevocationCheck } from './revocation-list.js';

/** RFC 9068 access tokens are signed with the provider's asymmetric keys (Gatehouse: ES256). */
const ACCESS_TOKEN_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'];
const DEFAULT_CLOCK_SKEW_SECONDS = 30;

export interface ResourceServerOptions {
  issuerUrl: string;
  /** This API's identifier: the access token's `aud` must contain it (one of them, for a list). */
  audience: string | string[];
  fetch?: FetchLike;
  clock?: Clock;
  /** Tolerance for `exp`/`iat`/`nbf`. Default 30. */
  clockSkewSeconds?: number;
  /** Sent as `realm` in WWW-Authenticate when set. */
  realm?: string;
  /**
   * Where revocations are known (createRevocationFeed, createRevocationWebhook): a token one of
   * them names is refused with 401 invalid_token though its signature verifies. Read from
   * memory; verifying never waits on them.
   */
  revocations?: RevocationCheck | readonly RevocationCheck[];
}

export interface VerifyOptions {
  /**
   * Every one of these must be in the token's `scope`, or the request gets 403
   * `insufficient_scope` with `scope="…"` in WWW-Authenticate (RFC 6750 §3.1).
   */
  scopes?: string[];
  /**
   * Custom claims the token must carry (see ClaimRequirement), checked after the scopes: a
   * token that fails gets 403 `insufficient_scope` too (RFC 6750: the token does not give the
   * privileges the request needs), with `claim` naming the first claim that did not match.
   */
  claims?: ClaimRequirements;
}

/** The claims of a verified RFC 9068 access token. */
export interface AccessTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope?: string;
  auth_time?: number;
}

export interface ResourceServer {
  /**
   * Verifies the bearer access token of `request` (or the token string). Throws BearerTokenError
   * (401 / 403 / 400 with `wwwAuthenticate`), NetworkError when the provider's keys cannot be
   * fetched (answer 503), ProtocolError when the provider's metadata or JWKS is broken (500).
   * `C` types the custom claims the API's tokens carry (`verify<{ kyc: Kyc }>(req, …)`); it is
   * not checked at run time: `options.claims` is.
   */
  verify<C extends object = Record<never, never>>(request: BearerInput | Request, options?: VerifyOptions): Promise<AccessTokenClaims & C>;
}

export function createResourceServer(options: ResourceServerOptions): ResourceServer {
  if (!options?.issuerUrl || !options.audience || (Array.isArray(options.audience) && options.audience.length === 0)) {
    throw new TypeError('createResourceServer needs issuerUrl and audience');
  }
  const clock = options.clock ?? systemClock;
  const http = providerHttp(new URL(options.issuerUrl), options.fetch);
  const discovery = new Discovery(new URL(options.issuerUrl), http);
  const jwks = new JwksCache(async () => (await discovery.get()).jwks_uri ?? '', http, clock);
  const tolerance = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const realm = options.realm;
  const revocations: readonly RevocationCheck[] =
    options.revocations === undefined ? [] : 'isRevoked' in options.revocations ? [options.revocations] : options.revocations;

  return {
    async verify<C extends object = Record<never, never>>(request: BearerInput | Request, verifyOptions: VerifyOptions = {}): Promise<AccessTokenClaims & C> {
      const required = verifyOptions.scopes ?? [];
      const token = bearerToken(request, realm);
      const metadata = await discovery.get();
      let claims: AccessTokenClaims;
      try {
        const { payload } = await jwtVerify<AccessTokenClaims>(token, jwks.getKey, {
          issuer: metadata.issuer,
          audience: options.audience,
          typ: 'at+jwt',
          algorithms: ACCESS_TOKEN_ALGORITHMS,
          currentDate: new Date(clock() * 1000),
          clockTolerance: tolerance,
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
        });
        claims = payload;
      } catch (error) {
        if (!(error instanceof jose.JOSEError)) throw await toSdkError(error);
        const description = error instanceof jose.JWTExpired ? 'The access token expired' : 'The access token is invalid';
        throw new BearerTokenError('invalid_token', description, { realm, requiredScopes: required, cause: error });
      }
      // jose checks exp and nbf; a token issued in the future is refused here.
      if (claims.iat > clock() + tolerance) {
        throw new BearerTokenError('invalid_token', 'The access token is invalid', { realm, requiredScopes: required });
      }
      if (revocations.some((r) => r.isRevoked(claims))) {
        throw new BearerTokenError('invalid_token', 'The access token was revoked', { realm, requiredScopes: required });
      }
      const granted = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
      if (!required.every((scope) => granted.has(scope))) {
        throw new BearerTokenError('insufficient_scope', 'The access token lacks a required scope', { realm, requiredScopes: required });
      }
      const unmet = verifyOptions.claims ? firstUnmet(claims, verifyOptions.claims) : undefined;
      if (unmet !== undefined) {
        throw new BearerTokenError('insufficient_scope', 'The access token does not carry the claims this request needs', { realm, claim: unmet });
      }
      return claims as AccessTokenClaims & C;
    },
  };
}

import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, decodeProtectedHeader } from 'jose';
import type { IssuerSettings } from '../issuers/settings.js';
import { OAuthError } from '../errors.js';
import type { Clock } from '../store/clock.js';
import type { IdTokenAlg } from '../store/repos/clients.js';
import type { KeyStore } from './keys.js';
import { signCompact } from './jws.js';
import { VerifiedCache } from './verified-cache.js';
import { randomToken } from './random.js';

/** The `events` member that makes a JWT a logout token (Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Seconds a logout token is valid: long enough for clock skew, short enough to be useless later (§2.4 asks for short). */
export const LOGOUT_TOKEN_TTL = 120;

export interface IdTokenInput {
  clientId: string;
  alg: IdTokenAlg;
  sub: string;
  authTime: number;
  nonce?: string | null;
  sid?: string | null;
  /** How the user signed in (RFC 8176) and the level (OIDC Core §2); absent for older grants. */
  amr?: readonly string[] | undefined;
  acr?: string | null;
  accessToken?: string;
  /** Claims released by the granted scopes (see claims.ts). */
  claims?: Record<string, unknown>;
}

export interface AccessTokenInput {
  clientId: string;
  /** The user, or the client itself for client_credentials. */
  sub: string;
  scope: string;
  audience: string;
  /** The grant the token belongs to (the `gid` claim), so revoking the grant revokes it. */
  grantId: string | null;
  authTime?: number | null;
  /** Seconds the token lives when not the issuer's accessTokenTtl (an API's own lifetime). */
  ttl?: number | undefined;
  /** Claims about the user its API is configured to receive (claims/); never a reserved one. */
  claims?: Record<string, unknown> | undefined;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  jti: string;
}

export interface PlannedAccessToken {
  input: AccessTokenInput;
  jti: string;
  iat: number;
  exp: number;
}

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  auth_time?: number;
  /** Gatehouse's grant id: present on tokens issued for a user. */
  gid?: string;
}

/** ID token `at_hash`: left half of the SHA-256 of the access token (both algorithms use SHA-256). */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** Whose tokens a TokenIssuer signs: the issuer URL (`iss`) and its lifetimes. */
export interface TokenSite {
  url: string;
  settings: Pick<IssuerSettings, 'accessTokenTtl' | 'idTokenTtl'>;
}

export class TokenIssuer {
  private readonly verified: VerifiedCache<AccessTokenClaims>;

  constructor(
    private readonly site: TokenSite,
    private readonly keys: KeyStore,
    private readonly clock: Clock,
    /** Tokens whose signature is remembered; issuers other than the default keep fewer. */
    verifiedCacheSize = 10_000,
  ) {
    this.verified = new VerifiedCache<AccessTokenClaims>(verifiedCacheSize);
  }

  async idToken(input: IdTokenInput): Promise<string> {
    const now = this.clock();
    const { kid, key } = await this.keys.signingKey(input.alg);
    const payload: Record<string, unknown> = {
      ...input.claims,
      iss: this.site.url,
      sub: input.sub,
      aud: input.clientId,
      iat: now,
      exp: now + this.site.settings.idTokenTtl,
      auth_time: input.authTime,
      azp: input.clientId,
    };
    if (input.nonce) payload.nonce = input.nonce;
    if (input.sid) payload.sid = input.sid;
    if (input.amr) payload.amr = input.amr;
    if (input.acr) payload.acr = input.acr;
    if (input.accessToken) payload.at_hash = atHash(input.accessToken);
    return signCompact(input.alg, { kid, typ: 'JWT' }, payload, key);
  }

  /**
   * An OpenID Connect Back-Channel Logout 1.0 logout token (§2.4) for `clientId`: signed as its
   * ID tokens are, `typ` logout+jwt (§2.4, so it cannot pass for an ID token), with the
   * back-channel logout event, `sub` and `sid`, a fresh `jti`, never a `nonce`. Short-lived: it
   * is made at each delivery attempt, so a retry a day later still carries a live token.
   */
  async logoutToken(input: { clientId: string; alg: IdTokenAlg; sub: string; sid: string | null }): Promise<string> {
    const now = this.clock();
    const { kid, key } = await this.keys.signingKey(input.alg);
    const payload: Record<string, unknown> = {
      iss: this.site.url,
      aud: input.clientId,
      iat: now,
      exp: now + LOGOUT_TOKEN_TTL,
      jti: randomToken(16),
      sub: input.sub,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    };
    if (input.sid) payload.sid = input.sid;
    return signCompact(input.alg, { kid, typ: 'logout+jwt' }, payload, key);
  }

  /**
   * Decides an access token without signing it, so the rest of a grant can be written in a
   * transaction and the (slower) signature made after the commit, outside it.
   */
  planAccessToken(input: AccessTokenInput): PlannedAccessToken {
    const iat = this.clock();
    const exp = iat + (input.ttl ?? this.site.settings.accessTokenTtl);
    const jti = randomToken(16);
    return { input, jti, iat, exp };
  }

  /** Signs a planned RFC 9068 access token. */
  async signAccessToken(plan: PlannedAccessToken): Promise<string> {
    const { input } = plan;
    const { kid, key } = await this.keys.signingKey('ES256');
    const payload: Record<string, unknown> = {
      // First, so the issuer's own claims below always win over a configured one.
      ...input.claims,
      iss: this.site.url,
      sub: input.sub,
      aud: input.audience,
      exp: plan.exp,
      iat: plan.iat,
      jti: plan.jti,
      client_id: input.clientId,
      scope: input.scope,
    };
    if (input.authTime) payload.auth_time = input.authTime;
    if (input.grantId) payload.gid = input.grantId;
    return signCompact('ES256', { kid, typ: 'at+jwt' }, payload, key);
  }

  /** An RFC 9068 access token, planned and signed at once. */
  async accessToken(input: AccessTokenInput): Promise<IssuedAccessToken> {
    const plan = this.planAccessToken(input);
    return { token: await this.signAccessToken(plan), expiresIn: plan.exp - plan.iat, jti: plan.jti };
  }

  /**
   * Verifies signature, type, issuer and expiry of one of our access tokens. It does not check
   * revocation: access-token-check.ts does, against the database.
   */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    const cached = this.verified.get(token, this.clock());
    if (cached) return cached;
    const invalid = (cause?: unknown): OAuthError => new OAuthError('invalid_token', 'The access token is invalid or has expired', { cause });
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch (error) {
      throw invalid(error);
    }
    const found = kid ? await this.keys.publicKey(kid) : undefined;
    if (!found) throw invalid();
    try {
      const { payload } = await jwtVerify(token, found.key, {
        issuer: this.site.url,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        currentDate: new Date(this.clock() * 1000),
        requiredClaims: ['jti', 'sub', 'exp', 'iat', 'client_id'],
      });
      if (typeof payload.jti !== 'string' || typeof payload.client_id !== 'string') throw invalid();
      const claims = payload as unknown as AccessTokenClaims;
      this.verified.set(token, claims);
      return claims;
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      if (error instanceof joseErrors.JOSEError) throw invalid(error);
      throw error;
    }
  }
}

import { createHash } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify, decodeProtectedHeader } from 'jose';
import type { Config } from '../config.js';
import { OAuthError } from '../errors.js';
import type { Clock } from '../store/clock.js';
import type { AccessTokenRecord } from '../store/repos/access-tokens.js';
import type { IdTokenAlg } from '../store/repos/clients.js';
import type { KeyStore } from './keys.js';
import { randomToken } from './random.js';

export interface IdTokenInput {
  clientId: string;
  alg: IdTokenAlg;
  sub: string;
  authTime: number;
  nonce?: string | null;
  sid?: string | null;
  accessToken?: string;
  /** Claims released by the granted scopes (see claims.ts). */
  claims?: Record<string, unknown>;
}

export interface AccessTokenInput {
  clientId: string;
  /** The user, or the client itself for client_credentials. */
  sub: string;
  userId: string | null;
  scope: string;
  audience: string;
  grantId: string | null;
  authTime?: number | null;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  /** To be stored (repos.accessTokens.record) in the same transaction as the rest of the grant. */
  record: AccessTokenRecord;
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
}

/** ID token `at_hash`: left half of the SHA-256 of the access token (both algorithms use SHA-256). */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export class TokenIssuer {
  constructor(
    private readonly config: Config,
    private readonly keys: KeyStore,
    private readonly clock: Clock,
  ) {}

  async idToken(input: IdTokenInput): Promise<string> {
    const now = this.clock();
    const { kid, key } = await this.keys.signingKey(input.alg);
    const payload: Record<string, unknown> = {
      ...input.claims,
      auth_time: input.authTime,
      azp: input.clientId,
    };
    if (input.nonce) payload.nonce = input.nonce;
    if (input.sid) payload.sid = input.sid;
    if (input.accessToken) payload.at_hash = atHash(input.accessToken);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: input.alg, kid, typ: 'JWT' })
      .setIssuer(this.config.issuer)
      .setSubject(input.sub)
      .setAudience(input.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.config.idTokenTtl)
      .sign(key);
  }

  /** An RFC 9068 access token. */
  async accessToken(input: AccessTokenInput): Promise<IssuedAccessToken> {
    const now = this.clock();
    const expiresAt = now + this.config.accessTokenTtl;
    const jti = randomToken(16);
    const { kid, key } = await this.keys.signingKey('ES256');
    const payload: Record<string, unknown> = { client_id: input.clientId, scope: input.scope };
    if (input.authTime) payload.auth_time = input.authTime;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(this.config.issuer)
      .setSubject(input.sub)
      .setAudience(input.audience)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .setJti(jti)
      .sign(key);
    return {
      token,
      expiresIn: this.config.accessTokenTtl,
      record: { jti, grantId: input.grantId, clientId: input.clientId, userId: input.userId, expiresAt },
    };
  }

  /**
   * Verifies signature, type, issuer and expiry of one of our access tokens. It does not check
   * revocation: callers look the jti up with repos.accessTokens.findActive.
   */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    const invalid = (cause?: unknown): OAuthError =>
      new OAuthError('invalid_token', 'The access token is invalid or has expired', { cause });
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
        issuer: this.config.issuer,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        currentDate: new Date(this.clock() * 1000),
        requiredClaims: ['jti', 'sub', 'exp', 'iat', 'client_id'],
      });
      if (typeof payload.jti !== 'string' || typeof payload.client_id !== 'string') throw invalid();
      return payload as unknown as AccessTokenClaims;
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      if (error instanceof joseErrors.JOSEError) throw invalid(error);
      throw error;
    }
  }
}

import { type JWTPayload, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Clock } from './clock.js';
import type { ProviderMetadata } from './discovery.js';
import { GatehouseError, ProtocolError } from './errors.js';
import type { JwksCache } from './jwks.js';
import { toSdkError } from './map-error.js';

/** The `events` member that makes a JWT a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Logout tokens older than this (by `iat`) are refused even when their `exp` is later. */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 300;

/** Who the provider signed out: end the app's sessions with this `sid` (or, without one, every session of `sub`). */
export interface LogoutTokenClaims {
  /** The user; absent only when the provider sends `sid` alone (Gatehouse always sends both). */
  sub: string | undefined;
  /** The provider's session, as the ID token's `sid` claim named it. */
  sid: string | undefined;
  jti: string;
  iat: number;
}

/**
 * Remembers the `jti` of logout tokens already accepted, so one cannot be replayed (§2.6 step 8).
 * Share one store between an app's instances (Redis, the app's database) when they sit behind one
 * load balancer; the default keeps them in this process's memory.
 */
export interface LogoutReplayStore {
  /** Records `key` until `expiresAt` (seconds); resolves false when it was recorded already. */
  remember(key: string, expiresAt: number): boolean | Promise<boolean>;
}

/** The default LogoutReplayStore: in memory, entries dropped once expired, at most `max` kept. */
export class MemoryLogoutReplayStore implements LogoutReplayStore {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly max = 10_000,
  ) {}

  remember(key: string, expiresAt: number): boolean {
    const now = this.clock();
    const known = this.#seen.get(key);
    if (known !== undefined && known > now) return false;
    if (this.#seen.size >= this.max) {
      for (const [k, until] of this.#seen) if (until <= now) this.#seen.delete(k);
      // Still full of live entries: the oldest goes (a Map iterates in insertion order).
      if (this.#seen.size >= this.max) this.#seen.delete(this.#seen.keys().next().value as string);
    }
    this.#seen.set(key, expiresAt);
    return true;
  }
}

export type LogoutTokenErrorCode =
  /** No `logout_token` in the request, or the request is not a form POST. */
  | 'invalid_request'
  /** Not a JWT, a bad signature, an unknown key, an algorithm not allowed. */
  | 'invalid_token'
  /** iss, aud, typ, events, sid/sub or nonce are not what a logout token for this client has. */
  | 'claim_mismatch'
  /** Expired, issued in the future, or too old. */
  | 'timestamp_check_failed'
  /** This `jti` was accepted before. */
  | 'replayed';

/**
 * A logout token that is refused. Answer the provider with `toResponse()` (400 with
 * `{"error":"invalid_request"}`, §2.8); the provider retries, so a refusal is never silent.
 */
export class LogoutTokenError extends GatehouseError {
  readonly code: LogoutTokenErrorCode;
  /** The claim that failed, when one did. */
  readonly claim: string | undefined;

  constructor(code: LogoutTokenErrorCode, message: string, options: { cause?: unknown; claim?: string } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.claim = options.claim;
  }

  toResponse(): Response {
    return new Response(JSON.stringify({ error: 'invalid_request', error_description: this.message }), {
      status: 400,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
  }
}

export interface LogoutTokenContext {
  clientId: string;
  jwks: JwksCache;
  clock: Clock;
  clockSkewSeconds: number;
  replay: LogoutReplayStore;
}

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

/** The logout token of a back-channel logout request (a form POST), or the token itself. */
export async function logoutTokenOf(input: Request | URLSearchParams | string): Promise<string> {
  if (typeof input === 'string') return input;
  const form = input instanceof URLSearchParams ? input : await formOf(input);
  const token = form.get('logout_token');
  if (!token) throw new LogoutTokenError('invalid_request', 'The request has no logout_token');
  return token;
}

async function formOf(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (request.method !== 'POST' || !/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new LogoutTokenError('invalid_request', 'A back-channel logout request is a form POST (application/x-www-form-urlencoded)');
  }
  return new URLSearchParams(await request.text());
}

/**
 * Validates a logout token as Back-Channel Logout 1.0 §2.6 asks: signed by the provider's key
 * (asymmetric algorithms it advertises), `iss` the issuer, `aud` this client, `iat`/`exp` with
 * the clock skew, typed `logout+jwt` when typed (an ID token is refused), the back-channel
 * logout event, `sid` or `sub`, no `nonce`, and a `jti` never seen before.
 */
export async function verifyLogoutToken(token: string, metadata: ProviderMetadata, ctx: LogoutTokenContext): Promise<LogoutTokenClaims> {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch (error) {
    throw new LogoutTokenError('invalid_token', 'The logout token is not a JWT', { cause: error });
  }
  if (typ !== undefined && String(typ).toLowerCase() !== 'logout+jwt' && String(typ).toLowerCase() !== 'application/logout+jwt') {
    throw new LogoutTokenError('claim_mismatch', `The token is typed "${String(typ)}", not logout+jwt`, { claim: 'typ' });
  }
  const algorithms = (metadata.id_token_signing_alg_values_supported ?? ['RS256']).filter((alg) => ASYMMETRIC.test(alg));
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, ctx.jwks.getKey, {
      issuer: metadata.issuer,
      audience: ctx.clientId,
      algorithms,
      currentDate: new Date(ctx.clock() * 1000),
      clockTolerance: ctx.clockSkewSeconds,
      maxTokenAge: LOGOUT_TOKEN_MAX_AGE_SECONDS,
      requiredClaims: ['iat', 'exp', 'jti', 'events'],
    }));
  } catch (error) {
    throw fromVerification(await toSdkError(error));
  }
  if (typeof payload.iat !== 'number' || payload.iat > ctx.clock() + ctx.clockSkewSeconds) {
    throw new LogoutTokenError('timestamp_check_failed', 'The logout token was issued in the future', { claim: 'iat' });
  }
  const events = payload.events as Record<string, unknown> | undefined;
  const event = events && typeof events === 'object' ? events[BACKCHANNEL_LOGOUT_EVENT] : undefined;
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    throw new LogoutTokenError('claim_mismatch', `The token's "events" claim has no ${BACKCHANNEL_LOGOUT_EVENT} object`, { claim: 'events' });
  }
  if ('nonce' in payload) throw new LogoutTokenError('claim_mismatch', 'A logout token must not have a "nonce" claim', { claim: 'nonce' });
  const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
  const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : undefined;
  if (!sub && !sid) throw new LogoutTokenError('claim_mismatch', 'A logout token names a "sid", a "sub" or both', { claim: 'sid' });
  const jti = payload.jti;
  if (typeof jti !== 'string' || !jti) throw new LogoutTokenError('claim_mismatch', 'The logout token "jti" claim is invalid', { claim: 'jti' });
  const expiresAt = (payload.exp ?? payload.iat + LOGOUT_TOKEN_MAX_AGE_SECONDS) + ctx.clockSkewSeconds;
  if (!(await ctx.replay.remember(`${metadata.issuer} ${jti}`, expiresAt))) {
    throw new LogoutTokenError('replayed', 'This logout token was received before', { claim: 'jti' });
  }
  return { sub, sid, jti, iat: payload.iat };
}

function fromVerification(error: unknown): LogoutTokenError {
  if (!(error instanceof ProtocolError)) return new LogoutTokenError('invalid_token', 'The logout token could not be verified', { cause: error });
  if (error.code === 'timestamp_check_failed') return new LogoutTokenError('timestamp_check_failed', error.message, { cause: error, claim: error.claim });
  if (error.code === 'claim_mismatch' || error.code === 'issuer_mismatch') {
    return new LogoutTokenError('claim_mismatch', error.message, { cause: error, claim: error.claim });
  }
  return new LogoutTokenError('invalid_token', error.message, { cause: error });
}

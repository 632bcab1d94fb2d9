/** Base class of every error this SDK throws on purpose (programming mistakes stay `TypeError`). */
export class GatehouseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request never produced an HTTP response: DNS, connection, TLS, timeout or abort. */
export class NetworkError extends GatehouseError {}

/**
 * The provider answered with an OAuth error (RFC 6749 §5.2 body, a `WWW-Authenticate` challenge,
 * or an `error` in the authorization callback). `status` is absent for callback errors.
 */
export class OAuthResponseError extends GatehouseError {
  readonly error: string;
  readonly error_description: string | undefined;
  readonly status: number | undefined;

  constructor(error: string, errorDescription: string | undefined, status: number | undefined, options?: { cause?: unknown }) {
    super(errorDescription ? `${error}: ${errorDescription}` : error, options);
    this.error = error;
    this.error_description = errorDescription;
    this.status = status;
  }
}

export type ProtocolErrorCode =
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'claim_mismatch'
  | 'timestamp_check_failed'
  | 'invalid_signature'
  | 'unknown_key'
  | 'alg_not_allowed'
  | 'invalid_jwt'
  | 'missing_id_token'
  | 'unexpected_status'
  | 'invalid_response'
  | 'unsupported';

/**
 * The provider's answer breaks the protocol or fails a security check: bad signature, wrong
 * issuer/audience/nonce, expired ID token, state mismatch, malformed JSON, unexpected status.
 * Never retry these blindly; they can mean an attack.
 */
export class ProtocolError extends GatehouseError {
  readonly code: ProtocolErrorCode;
  /** The JWT claim that failed (`iss`, `aud`, `azp`, `nonce`, `exp`…), when one did. */
  readonly claim: string | undefined;
  /** The HTTP status of an unexpected response, when that is what went wrong. */
  readonly status: number | undefined;

  constructor(code: ProtocolErrorCode, message: string, options: { cause?: unknown; claim?: string; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.claim = options.claim;
    this.status = options.status;
  }
}

/**
 * What the app asked for needs a scope the user's tokens were not granted: the user did not
 * approve it, removed it later on their account page, or the app never asked for it. Ask for
 * it at the next sign-in (`createAuthorizationUrl({ scopes: [..., scope] })`) instead of
 * treating the answer as "no".
 */
export class MissingScopeError extends GatehouseError {
  /** The scope the tokens lack. */
  readonly scope: string;

  constructor(scope: string, message: string) {
    super(message);
    this.scope = scope;
  }
}

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * Thrown by the resource server's `verify`. Answer the request with `status` and the
 * `WWW-Authenticate` header (RFC 6750 §3): 401 for a missing or bad token, 403 for missing scope,
 * 400 for a malformed request. `error` is undefined when the request carried no token at all.
 */
export class BearerTokenError extends GatehouseError {
  readonly error: BearerErrorCode | undefined;
  readonly error_description: string | undefined;
  readonly status: 400 | 401 | 403;
  readonly wwwAuthenticate: string;
  /** For a 403 from a claims check (`verify(req, { claims })`): the first claim that did not match. */
  readonly claim: string | undefined;

  constructor(
    error: BearerErrorCode | undefined,
    description: string | undefined,
    options: { requiredScopes?: readonly string[]; realm?: string; cause?: unknown; claim?: string } = {},
  ) {
    super(description ?? 'A bearer token is required', { cause: options.cause });
    this.error = error;
    this.claim = options.claim;
    this.error_description = description;
    this.status = error === 'insufficient_scope' ? 403 : error === 'invalid_request' ? 400 : 401;
    const params: string[] = [];
    if (options.realm !== undefined) params.push(`realm=${quote(options.realm)}`);
    if (error) params.push(`error=${quote(error)}`);
    if (error && description) params.push(`error_description=${quote(description)}`);
    if (options.requiredScopes?.length && error !== 'invalid_request') {
      params.push(`scope=${quote(options.requiredScopes.join(' '))}`);
    }
    this.wwwAuthenticate = params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
  }

  /** A ready-made error response for handlers built on the Fetch API (Workers, Hono, Deno…). */
  toResponse(): Response {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'WWW-Authenticate': this.wwwAuthenticate };
    if (!this.error) return new Response(null, { status: this.status, headers });
    headers['Content-Type'] = 'application/json';
    const body = { error: this.error, error_description: this.error_description };
    return new Response(JSON.stringify(body), { status: this.status, headers });
  }
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

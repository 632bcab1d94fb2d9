import type { Text } from './pages/translator.js';

/**
 * A security event an error stands for (a bad client authentication, a reused refresh token, an
 * unregistered redirect_uri): the error handler logs it with the request's id and issuer.
 * Fields must be safe to keep: never a secret, token, code or password.
 */
export interface LoggedEvent {
  event: string;
  level?: 'info' | 'warn';
  fields?: Record<string, unknown>;
}

/**
 * One error type for every protocol failure. The handler in http/errors.ts turns it into a JSON
 * body, a redirect to a validated redirect_uri, or a readable page.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'registration_not_supported'
  | 'invalid_request_object';

const DEFAULT_STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
};

export interface OAuthErrorOptions {
  status?: number;
  /** Not shown to anyone; kept for logs and tests. */
  cause?: unknown;
  /** Extra response headers, such as WWW-Authenticate. */
  headers?: Record<string, string>;
  /** What a person is told when this reaches a hosted page; by default, what kind of failure it was. */
  forPeople?: Text;
  /** The security event this failure is, logged by the error handler. */
  logged?: LoggedEvent;
}

export class OAuthError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly forPeople: Text | undefined;
  readonly logged: LoggedEvent | undefined;

  constructor(
    readonly code: OAuthErrorCode,
    /** Public text: it reaches the client, so it never carries secrets or internals. */
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(`${code}: ${description}`, { cause: options.cause });
    this.name = 'OAuthError';
    this.status = options.status ?? DEFAULT_STATUS[code] ?? 400;
    this.headers = options.headers ?? {};
    this.forPeople = options.forPeople;
    this.logged = options.logged;
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

/** The database or another dependency is down: clients must retry, never discard their tokens. */
export class UnavailableError extends Error {
  constructor(cause?: unknown) {
    super('service temporarily unavailable', { cause });
    this.name = 'UnavailableError';
  }
}

/**
 * An authorization request that failed after the client and redirect_uri were validated, so the
 * error may go back to the client by redirect (RFC 6749 §4.1.2.1).
 */
export class RedirectableError extends OAuthError {
  constructor(
    code: OAuthErrorCode,
    description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(code, description);
    this.name = 'RedirectableError';
  }
}

/**
 * A failure told to a person on a hosted page, in their language: a message key, not text.
 * OAuthError is the protocol's (its English description goes to clients); this one is for the
 * pages a browser is on (sign-in, consent, account, password, sign-out), rendered by the error
 * handler with the page's Translator (http/errors.ts).
 */
export class PageError extends Error {
  readonly status: number;
  readonly logged: LoggedEvent | undefined;

  constructor(
    readonly text: Text,
    options: { status?: number; cause?: unknown; logged?: LoggedEvent } = {},
  ) {
    super(text.key, { cause: options.cause });
    this.name = 'PageError';
    this.status = options.status ?? 400;
    this.logged = options.logged;
  }
}

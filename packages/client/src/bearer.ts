import { BearerTokenError } from './errors.js';

/** What `verify` accepts: a Fetch API Request, a Node/Express request, or the token itself. */
export type BearerInput = string | { headers: Headers } | { headers: Record<string, string | string[] | undefined> };

// RFC 6750 §2.1: b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The bearer token of a request (RFC 6750 §2.1 Authorization header only: query and form
 * transport are not accepted). No credentials at all is a 401 without an error code (§3.1).
 */
export function bearerToken(input: BearerInput, realm: string | undefined): string {
  const header = typeof input === 'string' ? asHeader(input) : authorizationHeader(input);
  if (header === undefined || !/^bearer(\s|$)/i.test(header)) throw new BearerTokenError(undefined, undefined, { realm });
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new BearerTokenError('invalid_request', 'The Authorization header is malformed', { realm });
  return match[1];
}

function asHeader(value: string): string | undefined {
  if (!value) return undefined;
  return /^bearer(\s|$)/i.test(value) ? value : `Bearer ${value}`;
}

function authorizationHeader(input: Exclude<BearerInput, string>): string | undefined {
  const headers = input?.headers;
  if (!headers) throw new TypeError('verify needs a Request, a request with headers, or a token string');
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get('authorization') ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record.authorization ?? record.Authorization;
  if (Array.isArray(value)) {
    if (value.length > 1) throw new BearerTokenError('invalid_request', 'More than one Authorization header');
    return value[0];
  }
  return value;
}

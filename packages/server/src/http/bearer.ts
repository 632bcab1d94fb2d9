import type { Context } from 'hono';
import { OAuthError } from '../errors.js';
import type { Params } from './form.js';

const REALM = 'gatehouse';

function challenge(error?: string, description?: string, scope?: string): string {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** RFC 6750 §3.1: 401 with a Bearer challenge; no error code when no token was sent at all. */
export function invalidToken(description = 'The access token is invalid, expired or revoked'): OAuthError {
  return new OAuthError('invalid_token', description, { headers: { 'WWW-Authenticate': challenge('invalid_token', description) } });
}

export function missingToken(): OAuthError {
  return new OAuthError('invalid_token', 'An access token is required', { headers: { 'WWW-Authenticate': challenge() } });
}

export function insufficientScope(scope: string): OAuthError {
  const description = `The access token needs the ${scope} scope`;
  return new OAuthError('insufficient_scope', description, {
    headers: { 'WWW-Authenticate': challenge('insufficient_scope', description, scope) },
  });
}

/**
 * The bearer token of a request: the Authorization header (§2.1) or, for form posts, the
 * access_token body parameter (§2.2). Sending it both ways is invalid_request (§3.1).
 */
export function bearerToken(c: Context, body: Params | undefined): string {
  const header = c.req.header('authorization');
  const fromBody = body?.get('access_token');
  if (header !== undefined && fromBody !== undefined) {
    throw new OAuthError('invalid_request', 'Send the access token in one place only', { headers: { 'WWW-Authenticate': challenge('invalid_request') } });
  }
  if (fromBody !== undefined) return fromBody;
  if (header === undefined) throw missingToken();
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match?.[1]) throw invalidToken('The Authorization header is not a Bearer token');
  return match[1];
}

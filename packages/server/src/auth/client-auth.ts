import type { Context } from 'hono';
import { OAuthError } from '../errors.js';
import type { Params } from '../http/form.js';
import { noteClient } from '../http/request-log.js';
import type { Client } from '../store/repos/clients.js';
import type { Repos } from '../store/repos.js';
import { matchesHash } from '../tokens/random.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface AuthenticatedClient {
  client: Client;
  method: ClientAuthMethod;
}

interface Presented {
  method: ClientAuthMethod;
  clientId: string;
  secret: string | null;
}

const BASIC_CHALLENGE = 'Basic realm="gatehouse", charset="UTF-8"';

/** `reason` and the client id presented (unverified, never the secret) go to the security log. */
function invalidClient(basic: boolean, description = 'Client authentication failed', reason = 'malformed', clientId?: string): OAuthError {
  const logged = { event: 'client_auth_failed', fields: { reason, client_id: clientId?.slice(0, 200) } };
  return new OAuthError('invalid_client', description, basic ? { headers: { 'WWW-Authenticate': BASIC_CHALLENGE }, logged } : { logged });
}

/** RFC 6749 §2.3.1: both parts are form-urlencoded before base64. */
function parseBasic(header: string): Presented {
  const encoded = header.slice(6).trim();
  let decoded: string;
  try {
    if (!/^[A-Za-z0-9+/]+=*$/.test(encoded)) throw new Error('not base64');
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw invalidClient(true, 'The Authorization header is not valid Basic credentials');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient(true, 'The Authorization header is not valid Basic credentials');
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    // No client id holds a NUL, and PostgreSQL would refuse one in a parameter (see form.ts).
    if (clientId.includes('\u0000')) throw new Error('NUL in client id');
    return { method: 'client_secret_basic', clientId, secret };
  } catch {
    throw invalidClient(true, 'The Authorization header is not valid Basic credentials');
  }
}

/** Which credentials the request carries; using more than one method is invalid_request (§2.3). */
function presented(c: Context, params: Params): Presented {
  const header = c.req.header('authorization');
  const basic = header !== undefined && /^basic /i.test(header);
  // RFC 6749 §5.2: any attempt through the Authorization header gets a challenge, naming the scheme we support.
  if (header !== undefined && !basic) throw invalidClient(true, 'Unsupported client authentication scheme', 'unsupported_scheme');
  const postId = params.get('client_id');
  const postSecret = params.get('client_secret');
  if (basic) {
    if (postSecret !== undefined) throw new OAuthError('invalid_request', 'Use one client authentication method, not several');
    const creds = parseBasic(header);
    if (postId !== undefined && postId !== creds.clientId) throw new OAuthError('invalid_request', 'client_id does not match the Authorization header');
    return creds;
  }
  if (postId === undefined) throw invalidClient(false, 'Client authentication is required', 'missing');
  if (postSecret !== undefined) return { method: 'client_secret_post', clientId: postId, secret: postSecret };
  return { method: 'none', clientId: postId, secret: null };
}

/**
 * Authenticates the client of a token, revocation or introspection request. Confidential
 * clients must present their secret; public clients identify themselves with client_id alone
 * unless `confidentialOnly` (introspection) refuses them.
 */
export async function authenticateClient(
  c: Context,
  params: Params,
  repos: Repos,
  options: { confidentialOnly?: boolean } = {},
): Promise<AuthenticatedClient> {
  const creds = presented(c, params);
  const basic = creds.method === 'client_secret_basic';
  if (creds.clientId.length === 0 || creds.clientId.length > 200) throw invalidClient(basic, undefined, 'bad_client_id');
  const client = await repos.clients.find(creds.clientId);
  if (!client) throw invalidClient(basic, undefined, 'unknown_client', creds.clientId);
  if (client.isPublic) {
    if (creds.method !== 'none') throw invalidClient(basic, 'This public client has no secret', 'secret_for_public_client', client.id);
    if (options.confidentialOnly) throw invalidClient(basic, 'This endpoint requires a confidential client', 'public_client_refused', client.id);
    noteClient(c, client.id);
    return { client, method: 'none' };
  }
  if (creds.secret === null || client.secretHash === null) throw invalidClient(basic, undefined, 'missing_secret', client.id);
  if (!matchesHash(creds.secret, client.secretHash)) throw invalidClient(basic, undefined, 'wrong_secret', client.id);
  noteClient(c, client.id);
  return { client, method: creds.method };
}

import type { Context } from 'hono';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import { noteClient } from '../http/request-log.js';
import type { Client } from '../store/repos/clients.js';
import { type ClientAuthMethod, type ClientAuthRequest, invalidClient } from './client-auth-methods.js';

export interface AuthenticatedClient {
  client: Client;
  /** The method that authenticated it, as registered (client-auth-methods.ts). */
  method: ClientAuthMethod['name'];
}

/**
 * Authenticates the client of a token, revocation or introspection request with the method of
 * the issuer's registry (issuers/registries.ts) that the request uses. Confidential clients
 * must prove themselves; public clients identify themselves with client_id alone unless
 * `confidentialOnly` (introspection) refuses them.
 */
export async function authenticateClient(
  c: Context,
  params: Params,
  scope: IssuerScope,
  options: { confidentialOnly?: boolean } = {},
): Promise<AuthenticatedClient> {
  const request: ClientAuthRequest = { context: c, params, authorization: c.req.header('authorization') };
  const method = scope.registries.clientAuth.presented(request);
  const creds = method.read(request);
  const { challenge } = method;
  if (creds.clientId.length === 0 || creds.clientId.length > 200) throw invalidClient(challenge, undefined, 'bad_client_id');
  const client = await scope.repos.clients.find(creds.clientId);
  if (!client) throw invalidClient(challenge, undefined, 'unknown_client', creds.clientId);
  const refused = method.verify(client, creds, scope.services.clock());
  if (refused !== undefined) throw invalidClient(challenge, refused, refusalReason(client, creds.secret), client.id);
  if (options.confidentialOnly && !method.confidential)
    throw invalidClient(challenge, 'This endpoint requires a confidential client', 'public_client_refused', client.id);
  noteClient(c, client.id);
  return { client, method: method.name };
}

/** Why a method refused the client, for the security log (never the secret itself). */
function refusalReason(client: Client, secret: string | null): string {
  if (client.isPublic) return 'secret_for_public_client';
  return secret === null || client.secretHash === null ? 'missing_secret' : 'wrong_secret';
}

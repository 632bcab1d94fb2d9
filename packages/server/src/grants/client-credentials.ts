import { OAuthError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { GrantTypeHandler } from './registry.js';
import { type TokenResponse, audienceFor } from './token-set.js';

/** RFC 6749 §4.4: a confidential client acting for itself; no refresh or ID token. */
export async function clientCredentialsGrant(scope: IssuerScope, client: Client, params: Params): Promise<TokenResponse> {
  if (client.isPublic) throw new OAuthError('unauthorized_client', 'Public clients cannot use client_credentials');
  // Scopes about a user (those of a claim source, and offline_access) mean nothing without one.
  const { claims } = scope.registries;
  const allowed = client.scopes.filter((s) => s !== 'offline_access' && !claims.isUserScope(s));
  const raw = params.get('scope');
  const scopes = raw === undefined ? allowed : [...new Set(raw.split(' ').filter(Boolean))];
  if (raw !== undefined && scopes.length === 0) throw new OAuthError('invalid_scope', 'scope is malformed');
  const refused = scopes.filter((s) => !allowed.includes(s));
  if (refused.length > 0) throw new OAuthError('invalid_scope', `Scope not allowed for client_credentials: ${refused.join(' ').slice(0, 200)}`);
  const resource = params.get('resource');
  if (resource !== undefined && !client.resources.includes(resource)) {
    throw new OAuthError('invalid_target', 'This resource is not registered for the client');
  }
  const audience = audienceFor(scope, client, resource ?? null);
  // One audience per token (RFC 8707): an API's token carries its own scopes, any other none of an API's.
  const { apis } = scope.registries;
  const granted = (apis.empty ? scopes : apis.scopesFor(audience, scopes)).join(' ');
  const access = await scope.tokens.accessToken({
    clientId: client.id,
    sub: client.id,
    scope: granted,
    audience,
    grantId: null,
    ttl: apis.api(audience)?.accessTokenTtl ?? undefined,
  });
  // Nothing is written: the token is self-contained and only a revocation would be stored.
  return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: granted };
}

export const CLIENT_CREDENTIALS_GRANT: GrantTypeHandler = { type: 'client_credentials', handle: clientCredentialsGrant };

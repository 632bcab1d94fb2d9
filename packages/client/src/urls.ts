import type { ProviderMetadata } from './discovery.js';
import { ProtocolError } from './errors.js';
import type { AuthorizationUrlOptions, LogoutUrlOptions } from './types.js';

export interface AuthorizationUrlInput extends AuthorizationUrlOptions {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string;
  codeChallenge: string;
}

/** The authorization request (OIDC Core §3.1.2.1, RFC 7636 S256, RFC 8707 resource). */
export function authorizationUrl(metadata: ProviderMetadata, input: AuthorizationUrlInput): string {
  const endpoint = metadata.authorization_endpoint;
  if (!endpoint) throw new ProtocolError('invalid_response', 'The provider metadata has no authorization_endpoint');
  const url = new URL(endpoint);
  const q = url.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', input.clientId);
  q.set('redirect_uri', input.redirectUri);
  q.set('scope', input.scopes.join(' '));
  q.set('state', input.state);
  q.set('nonce', input.nonce);
  q.set('code_challenge', input.codeChallenge);
  q.set('code_challenge_method', 'S256');
  if (input.prompt !== undefined) q.set('prompt', input.prompt);
  if (input.loginHint !== undefined) q.set('login_hint', input.loginHint);
  if (input.maxAge !== undefined) {
    if (!Number.isInteger(input.maxAge) || input.maxAge < 0) throw new TypeError('maxAge must be a whole number of seconds');
    q.set('max_age', String(input.maxAge));
  }
  if (input.acrValues !== undefined && input.acrValues.length > 0) q.set('acr_values', input.acrValues.join(' '));
  for (const resource of toList(input.resource)) q.append('resource', resource);
  return url.href;
}

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2). */
export function logoutUrl(endpoint: string, clientId: string, options: LogoutUrlOptions): string {
  const url = new URL(endpoint);
  const q = url.searchParams;
  if (options.idTokenHint !== undefined) q.set('id_token_hint', options.idTokenHint);
  q.set('client_id', clientId);
  if (options.postLogoutRedirectUri !== undefined) q.set('post_logout_redirect_uri', options.postLogoutRedirectUri);
  if (options.state !== undefined) q.set('state', options.state);
  return url.href;
}

export function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

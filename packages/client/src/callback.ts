import * as oauth from 'oauth4webapi';
import type { ProviderMetadata } from './discovery.js';
import { ProtocolError } from './errors.js';

/**
 * What `exchangeCode` was given: the callback URL (absolute, or the path and query your framework
 * saw, resolved against the redirect URI) or a bare authorization code.
 */
export function readCallback(input: string | URL, redirectUri: string): { params: URLSearchParams; isUrl: boolean } {
  if (input instanceof URL) return { params: input.searchParams, isUrl: true };
  if (typeof input !== 'string' || !input) throw new TypeError('exchangeCode needs the callback URL or the code');
  if (input.startsWith('/') || input.startsWith('?')) {
    return { params: new URL(input, redirectUri).searchParams, isUrl: true };
  }
  const scheme = new URL(redirectUri).protocol;
  if (/^[a-z][a-z0-9+.-]*:/i.test(input)) {
    const url = URL.canParse(input) ? new URL(input) : undefined;
    if (url && (url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === scheme)) {
      return { params: url.searchParams, isUrl: true };
    }
  }
  return { params: new URLSearchParams({ code: input }), isUrl: false };
}

/**
 * Checks the authorization response: `state` (CSRF, when we have the URL), `iss` (RFC 9207 mix-up
 * defence), then turns an `error` into an OAuthResponseError. Returns the parameters in the form
 * oauth4webapi's code grant request accepts.
 */
export function validateCallback(
  metadata: ProviderMetadata,
  client: oauth.Client,
  callback: { params: URLSearchParams; isUrl: boolean },
  expectedState: string | undefined,
): URLSearchParams {
  const { params, isUrl } = callback;
  if (!isUrl) {
    // A bare code carries no state or iss: the caller has checked state against the callback.
    const bare = { ...metadata, authorization_response_iss_parameter_supported: false };
    return oauth.validateAuthResponse(bare, client, params, oauth.skipStateCheck);
  }
  if (typeof expectedState !== 'string' || !expectedState) {
    throw new TypeError('exchangeCode with a callback URL needs the state you stored: { codeVerifier, state, nonce }');
  }
  if (params.get('state') !== expectedState) {
    throw new ProtocolError('state_mismatch', 'The state in the callback does not match the one stored for this login');
  }
  const iss = params.get('iss');
  if (iss !== null ? iss !== metadata.issuer : metadata.authorization_response_iss_parameter_supported === true) {
    throw new ProtocolError('issuer_mismatch', 'The callback "iss" parameter is missing or not this issuer', { claim: 'iss' });
  }
  return oauth.validateAuthResponse(metadata, client, params, expectedState);
}

import * as oauth from 'oauth4webapi';
import type { ProviderMetadata } from './discovery.js';
import { type ProviderHttp, oauthRequestOptions } from './http.js';
import { guard } from './map-error.js';
import type { Profile } from './types.js';

/** The claims each standard scope releases (OIDC Core §5.4), as userinfo gives them. */
const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** Claims that describe the token, not the user: never taken from userinfo. */
const ID_TOKEN_ONLY = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'azp', 'at_hash', 'c_hash', 'auth_time', 'acr', 'amr', 'sid']);

/**
 * Whether the ID token left out what the granted scopes release: with an access token, an
 * OpenID provider returns the profile and email claims from userinfo only (OIDC Core §5.4), as
 * Gatehouse does unless the client is configured otherwise.
 */
export function needsUserinfo(profile: Profile, scope: string, metadata: ProviderMetadata): boolean {
  if (!metadata.userinfo_endpoint) return false;
  return scope.split(' ').some((s) => {
    const claims = SCOPE_CLAIMS[s];
    return claims !== undefined && !claims.some((c) => c in profile);
  });
}

/** Reads userinfo with the access token; its `sub` must be the ID token's (OIDC Core §5.3.4). */
export async function fetchUserinfo(
  metadata: ProviderMetadata,
  client: oauth.Client,
  http: ProviderHttp,
  accessToken: string,
  sub: string,
): Promise<Record<string, unknown>> {
  const info = await guard(async () => {
    const response = await oauth.userInfoRequest(metadata, client, accessToken, oauthRequestOptions(http));
    return oauth.processUserInfoResponse(metadata, client, sub, response);
  });
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(info)) if (!ID_TOKEN_ONLY.has(name) && name !== 'sub') claims[name] = value;
  return claims;
}

/** The profile: the ID token's claims, with what userinfo added where the ID token had none. */
export function withUserinfo(profile: Profile, userinfo: Record<string, unknown> | undefined): Profile {
  return userinfo ? ({ ...userinfo, ...profile } as Profile) : profile;
}

import type { User } from '../store/repos/users.js';

/** The OpenID scopes Gatehouse understands, with the claims each releases. */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'picture', 'updated_at'],
  email: ['email', 'email_verified'],
};

export const CLAIMS_SUPPORTED: readonly string[] = [
  'sub',
  ...new Set(Object.values(SCOPE_CLAIMS).flat()),
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'azp',
  'at_hash',
  'sid',
];

/** Claims about a user that the granted scopes allow; absent values are left out. */
export function userClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    sub: user.id,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    preferred_username: user.preferredUsername,
    picture: user.picture,
    updated_at: user.updatedAt,
    email: user.email,
    email_verified: user.emailVerified,
  };
  const claims: Record<string, unknown> = { sub: user.id };
  for (const scope of scopes) {
    for (const name of SCOPE_CLAIMS[scope] ?? []) {
      const value = all[name];
      if (value !== null && value !== undefined) claims[name] = value;
    }
  }
  return claims;
}

import type { User } from '../store/repos/users.js';

/**
 * The scopes Gatehouse understands, with the claims each releases. `organizations` is not read
 * from the user's row: organizations-claim.ts adds it, so userClaims leaves it out.
 */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'picture', 'updated_at'],
  email: ['email', 'email_verified'],
  organizations: ['organizations'],
};

/** Every claim Gatehouse may issue, each once (discovery's `claims_supported`). */
export const CLAIMS_SUPPORTED: readonly string[] = [
  ...new Set([...Object.values(SCOPE_CLAIMS).flat(), 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'azp', 'at_hash', 'sid']),
];

/** Claims from the user's own row that the granted scopes allow; absent values are left out. */
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

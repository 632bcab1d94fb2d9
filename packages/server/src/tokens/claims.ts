import type { ClaimSource, Claims } from './claim-sources.js';

/**
 * The standard scopes (OIDC Core §5.4) as built-in claim sources, read from the user's own row.
 * `openid` releases `sub`, which the token issuer sets; `profile` and `email` go to userinfo,
 * and into the ID token only when no access token is issued or the client asks for them
 * (`id_token_claims`).
 */
export const OPENID_SOURCE: ClaimSource = { kind: 'protocol', scope: 'openid', claims: ['sub'], idToken: 'always' };

export const PROFILE_SOURCE: ClaimSource = {
  kind: 'sync',
  scope: 'profile',
  claims: ['name', 'given_name', 'family_name', 'preferred_username', 'picture', 'updated_at'],
  idToken: 'without_access_token',
  resolve: ({ user }): Claims => ({
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    preferred_username: user.preferredUsername,
    picture: user.picture,
    updated_at: user.updatedAt,
  }),
};

export const EMAIL_SOURCE: ClaimSource = {
  kind: 'sync',
  scope: 'email',
  claims: ['email', 'email_verified'],
  idToken: 'without_access_token',
  resolve: ({ user }): Claims => ({ email: user.email, email_verified: user.emailVerified }),
};

import { readMembershipClaims } from '../store/repos/membership-claims.js';
import type { ClaimSource } from './claim-sources.js';

/** The scope that releases the `organizations` claim. */
export const ORGANIZATIONS_SCOPE = 'organizations';

/**
 * The `organizations` claim, read from the database each time (so every refresh and userinfo
 * call reflects the memberships of that moment). Unlike profile and email it stays in the ID
 * token with an access token: it is Gatehouse's own claim, the SDK and apps authorize from the
 * ID token's copy (agent.hasAccessIn), and userinfo would cost them a request per sign-in and
 * refresh. Grants without the scope run no statement for it, nor make a promise.
 */
export const ORGANIZATIONS_SOURCE: ClaimSource = {
  kind: 'async',
  scope: ORGANIZATIONS_SCOPE,
  claims: ['organizations'],
  idToken: 'always',
  resolve: async ({ db, issuerId, user }) => ({ organizations: await readMembershipClaims(db, issuerId, user.id) }),
};

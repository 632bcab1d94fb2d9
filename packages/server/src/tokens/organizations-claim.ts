import { MembershipRepository } from '../store/repos/memberships.js';
import type { ClaimSource } from './claim-sources.js';

/** The scope that releases the `organizations` claim. */
export const ORGANIZATIONS_SCOPE = 'organizations';

/** claimsOf reads no time: a repository over the context's database needs no clock of its own. */
const noClock = (): number => 0;

/**
 * The `organizations` claim, read from the database each time (so every refresh and userinfo
 * call reflects the memberships of that moment), in the transaction that spends the code or
 * refresh token. Unlike profile and email it stays in the ID token with an access token: it is
 * Gatehouse's own claim, the SDK and apps authorize from the ID token's copy
 * (agent.hasAccessIn), and reading userinfo would cost them a request per sign-in and refresh.
 * Grants without the scope run no statement for it, nor make a promise.
 */
export const ORGANIZATIONS_SOURCE: ClaimSource = {
  kind: 'async',
  scope: ORGANIZATIONS_SCOPE,
  claims: ['organizations'],
  idToken: 'always',
  resolve: async ({ db, issuerId, user }) => ({ organizations: await new MembershipRepository(db, noClock, issuerId).claimsOf(user.id) }),
};

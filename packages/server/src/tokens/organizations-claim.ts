import type { MembershipClaim } from '../store/repos/membership-claims.js';
import type { MembershipRepository } from '../store/repos/memberships.js';

/** The scope that releases the `organizations` claim. */
export const ORGANIZATIONS_SCOPE = 'organizations';

/**
 * A read of the `organizations` claim for a user when `scopes` grant it, from the database now
 * (so every refresh and userinfo call reflects the memberships of that moment); undefined
 * otherwise, without running any statement or even making a promise: the refresh and userinfo
 * paths of grants without the scope cost what they did before the claim existed.
 */
export function organizationsClaim(memberships: MembershipRepository, userId: string, scopes: readonly string[]): Promise<MembershipClaim[]> | undefined {
  return scopes.includes(ORGANIZATIONS_SCOPE) ? memberships.claimsOf(userId) : undefined;
}

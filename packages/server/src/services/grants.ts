import type { GrantEndReason } from '../events/catalog.js';
import type { Repos } from '../store/repos.js';

/**
 * Which grants to end: one by id, every one a user gave (to one client, with `clientId`), or
 * those signed in through sessions (by sid) that were not given offline_access.
 */
export type GrantSelector = { grantId: string } | { userId: string; clientId?: string } | { sessions: readonly string[] };

/**
 * The one place a grant ends, whatever the cause: RFC 7009 revocation, a replayed code or
 * refresh token, the user removing an app's access, disabling a user, a password change, an
 * administrator. The grant's refresh and access tokens stop working with it on every instance
 * (they are checked against their live grant), and each ended grant records `grant.revoked`
 * with `reason` in the same transaction; the SQL is the grant repository's. Run it on the
 * repositories of the transaction it belongs to. Returns how many live grants ended.
 */
export function revokeGrant(repos: Repos, which: GrantSelector, reason: GrantEndReason): Promise<number> {
  if ('grantId' in which) return repos.grants.revoke(which.grantId, reason);
  if ('sessions' in which) return repos.grants.revokeForSessions(which.sessions, reason);
  return repos.grants.revokeAllForUser(which.userId, reason, which.clientId);
}

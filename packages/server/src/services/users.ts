import type { IssuerScope } from '../issuers/scope.js';
import type { User } from '../store/repos/users.js';
import { revokeGrant } from './grants.js';

/**
 * What happens to a user, in one place for every caller (the CLI now, the Admin API and the
 * account pages next): each operation is one transaction, so a user is never left half changed,
 * and each change records its events (store/repos/events.ts) with it.
 */

/** Disables a user: signed out everywhere and every grant revoked, at once. Returns how many grants ended. */
export async function disableUser(scope: IssuerScope, user: User): Promise<number> {
  return scope.transaction(async (repos) => {
    await repos.users.setDisabled(user.id, true);
    await repos.sessions.endAllForUser(user.id, 'user_disabled');
    return revokeGrant(repos, { userId: user.id }, 'user_disabled');
  });
}

/** Lets a disabled user sign in again; grants revoked when it was disabled stay revoked. */
export async function enableUser(scope: IssuerScope, user: User): Promise<void> {
  await scope.repos.users.setDisabled(user.id, false);
}

/**
 * Replaces a user's password (already hashed: hashing runs outside the transaction) and signs
 * the user out everywhere, or everywhere but `keepSession`; with `revokeGrants`, apps lose their
 * grants too. Returns how many grants ended.
 */
export async function replacePassword(
  scope: IssuerScope,
  user: User,
  passwordHash: string,
  options: { revokeGrants?: boolean; keepSession?: string } = {},
): Promise<number> {
  return scope.transaction(async (repos) => {
    await repos.users.setPasswordHash(user.id, passwordHash);
    await repos.sessions.endAllForUser(user.id, 'password_changed', options.keepSession);
    if (!options.revokeGrants) return 0;
    return revokeGrant(repos, { userId: user.id }, 'password_changed');
  });
}

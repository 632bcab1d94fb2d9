import { type AdminRole, isAdminRole, ADMIN_ROLES } from '../admin/roles.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { AdminAssignment } from '../store/repos/admin-roles.js';
import { conflict, invalid, notFound } from './errors.js';

/**
 * Who administers an issuer (admin/roles.ts): one role per user of that issuer. An issuer that
 * has an owner always keeps one, so it can never be locked out of its own console.
 */

export function validateRole(raw: string): AdminRole {
  if (!isAdminRole(raw)) throw invalid('role', `role must be one of ${ADMIN_ROLES.join(', ')}`);
  return raw;
}

/** Gives a user of `scope` the role (replacing theirs); returns the assignment as it is now. */
export async function grantAdminRole(scope: IssuerScope, userId: string, role: string): Promise<AdminAssignment> {
  const checked = validateRole(role);
  return scope.transaction(async (repos) => {
    const user = await repos.users.findById(userId);
    if (!user) throw notFound('user_id', `there is no user ${userId.slice(0, 100)} at this issuer`);
    const before = await repos.adminRoles.find(userId);
    if (before === 'owner' && checked !== 'owner' && (await repos.adminRoles.ownerCount()) <= 1) {
      throw conflict('role', 'this is the issuer’s last owner: make someone else owner first');
    }
    await repos.adminRoles.set(userId, checked);
    const found = (await repos.adminRoles.list()).find((a) => a.userId === userId);
    if (!found) throw new Error('admin role vanished after it was set');
    return found;
  });
}

/** Takes a user's role away; false when they had none. The last owner cannot be removed. */
export async function revokeAdminRole(scope: IssuerScope, userId: string): Promise<boolean> {
  return scope.transaction(async (repos) => {
    const before = await repos.adminRoles.find(userId);
    if (before === undefined) return false;
    if (before === 'owner' && (await repos.adminRoles.ownerCount()) <= 1) {
      throw conflict('user_id', 'this is the issuer’s last owner: make someone else owner first');
    }
    await repos.adminRoles.remove(userId);
    return true;
  });
}

/**
 * Who may do what in the Admin API and the console. People hold one role per issuer; machine
 * clients hold scopes. What each route needs is one of the permissions below.
 */
export type AdminRole = 'owner' | 'admin' | 'viewer';
export const ADMIN_ROLES: readonly AdminRole[] = ['owner', 'admin', 'viewer'];

/**
 * `read`: see anything of the issuer. `write`: change it. `owner`: change who administers it.
 * `system`: manage the issuers themselves (owners of the default issuer).
 */
export type AdminPermission = 'read' | 'write' | 'owner' | 'system';

/** The scopes that let a machine client call the Admin API through client_credentials. */
export const ADMIN_READ_SCOPE = 'admin:read';
export const ADMIN_WRITE_SCOPE = 'admin:write';
export const ADMIN_SCOPES: readonly string[] = [ADMIN_READ_SCOPE, ADMIN_WRITE_SCOPE];

const ROLE_PERMISSIONS: Record<AdminRole, readonly AdminPermission[]> = {
  owner: ['read', 'write', 'owner'],
  admin: ['read', 'write'],
  viewer: ['read'],
};

export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === 'string' && (ADMIN_ROLES as readonly string[]).includes(value);
}

/** What a person with `role` may do; `system` also for owners of the default issuer. */
export function rolePermissions(role: AdminRole, defaultIssuer: boolean): AdminPermission[] {
  const permissions = [...ROLE_PERMISSIONS[role]];
  if (role === 'owner' && defaultIssuer) permissions.push('system');
  return permissions;
}

/**
 * What a machine client may do with `scopes`: admin:read reads, admin:write writes (and reads:
 * a change is made from what was read). Administering admins and issuers is for people only.
 */
export function scopePermissions(scopes: readonly string[]): AdminPermission[] {
  if (scopes.includes(ADMIN_WRITE_SCOPE)) return ['read', 'write'];
  if (scopes.includes(ADMIN_READ_SCOPE)) return ['read'];
  return [];
}

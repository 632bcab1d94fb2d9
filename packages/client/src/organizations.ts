import { MissingScopeError } from './errors.js';
import type { OrganizationMembership, Profile } from './types.js';

/** The scope that releases the `organizations` claim. */
export const ORGANIZATIONS_SCOPE = 'organizations';

/**
 * Throws MissingScopeError when the tokens were issued without the `organizations` scope: the
 * profile then has no memberships to go by, and "no access" would be a wrong answer.
 */
export function requireOrganizationsScope(grantedScope: string): void {
  if (grantedScope.split(' ').includes(ORGANIZATIONS_SCOPE)) return;
  throw new MissingScopeError(
    ORGANIZATIONS_SCOPE,
    'hasAccessIn needs the "organizations" scope, and these tokens were issued without it: ask for it in createAuthorizationUrl({ scopes }), or the user did not approve it or removed it',
  );
}

/**
 * Whether the `organizations` claim grants `<action>:<resource>` in `orgId`. The claim shape is
 * `[{ id, roles?: string[], permissions?: string[] }]`; anything else (or no claim) grants nothing.
 */
export function hasAccessIn(profile: Profile, orgId: string, action: string, resource: string): boolean {
  const memberships: unknown = profile.organizations;
  if (!Array.isArray(memberships)) return false;
  const wanted = `${action}:${resource}`;
  return memberships.some((m: unknown) => {
    if (!isMembership(m) || m.id !== orgId) return false;
    return Array.isArray(m.permissions) && m.permissions.includes(wanted);
  });
}

function isMembership(value: unknown): value is OrganizationMembership {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

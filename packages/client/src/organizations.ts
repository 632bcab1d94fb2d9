import type { OrganizationMembership, Profile } from './types.js';

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

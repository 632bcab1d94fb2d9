import { z } from 'zod';
import type { Member } from '../../store/repos/memberships.js';
import type { OrganizationRole } from '../../store/repos/organization-roles.js';
import type { Organization } from '../../store/repos/organizations.js';

/**
 * Organizations, their roles and members as the Admin API shows and takes them: the same field
 * names as `gatehouse org … --json` prints (a member's user id is `sub`, as in tokens).
 */

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export const organizationSchema = z
  .object({
    id: z.string().meta({ description: 'What apps see in the organizations claim; permanent' }),
    name: z.string(),
    suspended: z.boolean().meta({ description: 'Left out of every member’s tokens while true' }),
    mfa: z
      .enum(['off', 'optional', 'required'])
      .meta({ description: 'Second factor for members: optional asks members who have one, required asks every member (one without sets one up)' }),
    members: z.number().int(),
    roles: z.number().int(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Organization' });

export const newOrganizationSchema = z
  .strictObject({
    id: z
      .string()
      .max(64)
      .optional()
      .meta({ description: '2 to 64 of a-z, 0-9, "-" and "_", starting and ending with a letter or digit; generated (org_…) when absent' }),
    name: z.string().max(200),
  })
  .meta({ id: 'NewOrganization' });

export const organizationPatchSchema = z
  .strictObject({ name: z.string().max(200).optional(), suspended: z.boolean().optional(), mfa: z.enum(['off', 'optional', 'required']).optional() })
  .meta({ id: 'OrganizationPatch', description: 'Only the fields given change; the id never does' });

const permissions = z
  .array(z.string().max(128))
  .max(200)
  .meta({ description: '<action>:<resource> each, e.g. write:projects; no wildcards. Replaces the stored list' });

export const roleSchema = z
  .object({ name: z.string(), permissions: z.array(z.string()), created_at: z.iso.datetime(), updated_at: z.iso.datetime() })
  .meta({ id: 'OrganizationRole' });

export const newRoleSchema = z
  .strictObject({
    name: z.string().max(64).meta({ description: '1 to 64 of a-z, 0-9, "-" and "_", e.g. billing-admin' }),
    permissions,
  })
  .meta({ id: 'NewOrganizationRole' });

export const rolePatchSchema = z.strictObject({ permissions }).meta({ id: 'OrganizationRolePatch' });

export const memberSchema = z
  .object({
    sub: z.string().meta({ description: 'The user’s id' }),
    email: z.string(),
    name: z.string().nullable(),
    roles: z.array(z.string()),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'OrganizationMember' });

export const memberRolesSchema = z
  .strictObject({ roles: z.array(z.string().max(64)).max(100).meta({ description: 'Roles defined in the organization; [] for none' }) })
  .meta({ id: 'OrganizationMemberRoles' });

/** The organization service's field names as these resources spell them. */
export const ORGANIZATION_FIELDS = { organization: 'organization_id', user: 'user_id' };

export function organizationView(o: Organization, counts: { members: number; roles: number }): z.infer<typeof organizationSchema> {
  return {
    id: o.id,
    name: o.name,
    suspended: o.suspended,
    mfa: o.mfa,
    members: counts.members,
    roles: counts.roles,
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
  };
}

export function roleView(r: OrganizationRole): z.infer<typeof roleSchema> {
  return { name: r.name, permissions: r.permissions, created_at: iso(r.createdAt), updated_at: iso(r.updatedAt) };
}

export function memberView(m: Member): z.infer<typeof memberSchema> {
  return { sub: m.userId, email: m.email, name: m.name, roles: m.roles, created_at: iso(m.createdAt), updated_at: iso(m.updatedAt) };
}

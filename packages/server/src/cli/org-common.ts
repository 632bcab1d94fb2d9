import { organizationIdProblem, permissionProblem, roleNameProblem } from '../organizations/names.js';
import type { Repos } from '../store/repos.js';
import type { Organization } from '../store/repos/organizations.js';
import { isoTime } from './common.js';
import { CliUsageError } from './io.js';

/** Said after every change that reaches tokens, so operators know when apps see it. */
export const PROPAGATION = 'Apps see the change at their next token refresh or userinfo call.';

/** The failure (exit 1) for an organization id that names none. */
export function noOrganization(id: string): Error {
  return new Error(`no organization with id "${id}" (see: gatehouse org list)`);
}

/** The organization, or a failure naming the id. */
export async function findOrganization(repos: Repos, id: string): Promise<Organization> {
  const organization = await repos.organizations.find(id);
  if (!organization) throw noOrganization(id);
  return organization;
}

// The names are checked before the database is opened: a bad one is a usage mistake (exit 2).
function checked(problem: string | undefined, value: string): string {
  if (problem !== undefined) throw new CliUsageError(problem);
  return value;
}

export const checkOrganizationId = (id: string): string => checked(organizationIdProblem(id), id);
export const checkRoleName = (name: string): string => checked(roleNameProblem(name), name);
export const checkPermission = (permission: string): string => checked(permissionProblem(permission), permission);

/** An organization as --json prints it. */
export interface OrganizationView {
  id: string;
  name: string;
  suspended: boolean;
  created_at: string;
  updated_at: string;
}

export function describeOrganization(organization: Organization): OrganizationView {
  return {
    id: organization.id,
    name: organization.name,
    suspended: organization.suspended,
    created_at: isoTime(organization.createdAt),
    updated_at: isoTime(organization.updatedAt),
  };
}

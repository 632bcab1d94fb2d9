import { ServiceError } from '../services/errors.js';
import { validateOrganizationId, validateOrganizationName, validatePermissions, validateRoleName, validateRoles } from '../services/organizations.js';
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

/** Runs a service call; when it finds no `field`, the message gains what to do about it. */
export async function withHint<T>(fn: () => Promise<T>, field: string, hint: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'not_found' && error.field === field)
      throw new ServiceError(error.code, error.field, `${error.message} (${hint})`);
    throw error;
  }
}

/** The organization, or a failure naming the id. */
export async function findOrganization(repos: Repos, id: string): Promise<Organization> {
  const organization = await repos.organizations.find(id);
  if (!organization) throw noOrganization(id);
  return organization;
}

// The organization service's rules, checked before the database is opened: a bad name is a
// usage mistake (exit 2), told with the flag it came from.
function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'invalid') throw new CliUsageError(error.message);
    throw error;
  }
}

export const checkOrganizationId = (id: string): string => checked(() => validateOrganizationId(id));
export const checkOrganizationName = (name: string): string => checked(() => validateOrganizationName(name, '--name'));
export const checkRoleName = (name: string): string => checked(() => validateRoleName(name));
export const checkRoles = (roles: string[]): string[] => checked(() => validateRoles(roles));
export const checkPermissions = (permissions: string[]): string[] => checked(() => validatePermissions(permissions));

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

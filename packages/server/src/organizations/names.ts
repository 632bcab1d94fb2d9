import { randomBytes } from 'node:crypto';

// The names an operator gives (organization ids, role names, permissions) end up in ID tokens
// and in apps' own code and URLs, compared byte for byte: so one spelling each, lower case,
// nothing that needs quoting on a command line, in a URL or around the ':' of a permission.
const ORGANIZATION_ID = /^[a-z0-9][a-z0-9_-]{0,62}[a-z0-9]$/;
const ROLE_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;
const PERMISSION_PART = /^[a-z0-9][a-z0-9_.-]*$/;
const PERMISSION_MAX = 128;

/** Why `id` cannot name an organization, or undefined when it can. */
export function organizationIdProblem(id: string): string | undefined {
  if (ORGANIZATION_ID.test(id)) return undefined;
  return `organization id "${id.slice(0, 80)}" must be 2 to 64 characters of a-z, 0-9, "-" and "_", starting and ending with a letter or digit`;
}

/** Why `name` cannot name a role, or undefined when it can. */
export function roleNameProblem(name: string): string | undefined {
  if (ROLE_NAME.test(name)) return undefined;
  return `role "${name.slice(0, 80)}" must be 1 to 64 characters of a-z, 0-9, "-" and "_", starting and ending with a letter or digit`;
}

/**
 * Why `permission` is not `<action>:<resource>`, or undefined when it is. No wildcards: the SDK's
 * hasAccessIn compares `${action}:${resource}` exactly, so "*" would only ever match itself.
 */
export function permissionProblem(permission: string): string | undefined {
  const shown = permission.slice(0, 80);
  if (permission.includes('*')) return `permission "${shown}" has a "*": there are no wildcards, list each <action>:<resource>`;
  const parts = permission.split(':');
  if (parts.length !== 2) return `permission "${shown}" must be <action>:<resource> with exactly one ":", e.g. write:projects`;
  if (permission.length > PERMISSION_MAX) return `permission "${shown}…" must be at most ${PERMISSION_MAX} characters`;
  if (!parts.every((p) => PERMISSION_PART.test(p))) {
    return `permission "${shown}" must be <action>:<resource>, each of a-z, 0-9, ".", "-" and "_" and starting with a letter or digit, e.g. read:billing`;
  }
  return undefined;
}

/** Throws with the problem, if any: the repositories' guard behind the command line's own checks. */
export function assertValid(problem: string | undefined): void {
  if (problem !== undefined) throw new InvalidNameError(problem);
}

export class InvalidNameError extends Error {
  override name = 'InvalidNameError';
}

/** A generated organization id: `org_` and 80 random bits in hex, so always a valid id. */
export function newOrganizationId(): string {
  return `org_${randomBytes(10).toString('hex')}`;
}

/** Distinct and sorted: how role and permission lists are stored and put in tokens. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

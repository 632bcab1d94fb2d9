import type { MfaPolicy } from '../issuers/settings.js';
import type { IssuerScope } from '../issuers/scope.js';
import { organizationIdProblem, permissionProblem, roleNameProblem, sortedUnique } from '../organizations/names.js';
import type { Repos } from '../store/repos.js';
import { DuplicateMembershipError, type Member, UnknownRoleError } from '../store/repos/memberships.js';
import type { OrganizationRole } from '../store/repos/organization-roles.js';
import { DuplicateOrganizationError, type Organization, RetiredOrganizationIdError } from '../store/repos/organizations.js';
import type { User } from '../store/repos/users.js';
import { type ServiceError, checkedText, conflict, invalid, notFound, stale } from './errors.js';

/**
 * Organizations, their roles and their members: every rule their names follow and every write,
 * for the CLI now and the Admin API next. Each operation is one transaction with its events
 * (the repositories record them); a refusal is a ServiceError naming the field.
 *
 * The `validate…` functions need no database, so a caller may check its input before opening
 * one (the CLI does, so a typo is a usage mistake); the operations check again.
 */

export const ORGANIZATION_NAME_MAX = 200;

export function validateOrganizationId(id: string): string {
  const problem = organizationIdProblem(id);
  if (problem !== undefined) throw invalid('id', problem);
  return id;
}

/** `label` names the input in the message (the CLI passes its flag). */
export function validateOrganizationName(name: string, label = 'name'): string {
  return checkedText('name', label, name, ORGANIZATION_NAME_MAX);
}

export function validateRoleName(role: string, field = 'role'): string {
  const problem = roleNameProblem(role);
  if (problem !== undefined) throw invalid(field, problem);
  return role;
}

/** Distinct and sorted, as they are stored. */
export function validateRoles(roles: readonly string[]): string[] {
  return sortedUnique(roles.map((r) => validateRoleName(r, 'roles')));
}

/** Distinct and sorted, as they are stored. */
export function validatePermissions(permissions: readonly string[]): string[] {
  for (const permission of permissions) {
    const problem = permissionProblem(permission);
    if (problem !== undefined) throw invalid('permissions', problem);
  }
  return sortedUnique(permissions);
}

function noOrganization(id: string): ServiceError {
  return notFound('organization', `no organization with id "${id}"`);
}

async function organizationIn(repos: Repos, id: string): Promise<Organization> {
  const found = await repos.organizations.find(id);
  if (!found) throw noOrganization(id);
  return found;
}

async function userIn(repos: Repos, userId: string): Promise<User> {
  const found = await repos.users.findById(userId);
  if (!found) throw notFound('user', `no user with id "${userId}"`);
  return found;
}

/**
 * The user named by id or email (ids never contain "@", so an "@" means email; the other lookup
 * is the fallback either way), as the CLI and the Admin API's member routes accept them.
 */
export async function findMemberUser(scope: IssuerScope, idOrEmail: string): Promise<User> {
  const repos = scope.repos;
  const byEmail = idOrEmail.includes('@');
  const user = byEmail
    ? ((await repos.users.findByEmail(idOrEmail)) ?? (await repos.users.findById(idOrEmail)))
    : ((await repos.users.findById(idOrEmail)) ?? (await repos.users.findByEmail(idOrEmail)));
  if (!user) throw notFound('user', `no user with id or email "${idOrEmail.slice(0, 200)}"`);
  return user;
}

/** The repositories' own refusals, as ServiceErrors. */
function translated(error: unknown): unknown {
  if (error instanceof DuplicateOrganizationError || error instanceof RetiredOrganizationIdError) return conflict('id', error.message);
  if (error instanceof DuplicateMembershipError) return conflict('user', error.message);
  if (error instanceof UnknownRoleError) return notFound('roles', error.message);
  return error;
}

async function run<T>(scope: IssuerScope, fn: (repos: Repos) => Promise<T>): Promise<T> {
  try {
    return await scope.transaction(fn);
  } catch (error) {
    throw translated(error);
  }
}

/** Creates an organization under `id`, or a generated `org_…` id without one. */
export async function createOrganization(scope: IssuerScope, input: { id?: string; name: string }): Promise<Organization> {
  const name = validateOrganizationName(input.name);
  const id = input.id === undefined ? undefined : validateOrganizationId(input.id);
  try {
    // Not in a transaction of ours: the repository tells a lost race on the id from other failures.
    return await scope.repos.organizations.create(id === undefined ? { name } : { id, name });
  } catch (error) {
    throw translated(error);
  }
}

/**
 * Renames and/or suspends or resumes; returns the organization before and after. With
 * `revision`, it changes only if the organization is still at that revision (else `stale`).
 */
export async function updateOrganization(
  scope: IssuerScope,
  id: string,
  changes: { name?: string; suspended?: boolean; mfa?: MfaPolicy },
  revision?: number,
): Promise<{ before: Organization; after: Organization }> {
  const checked: { name?: string; suspended?: boolean; mfa?: MfaPolicy } = {};
  if (changes.name !== undefined) checked.name = validateOrganizationName(changes.name);
  if (changes.suspended !== undefined) checked.suspended = changes.suspended;
  if (changes.mfa !== undefined) {
    if (!['off', 'optional', 'required'].includes(changes.mfa)) throw invalid('mfa', 'must be off, optional or required');
    checked.mfa = changes.mfa;
  }
  if (Object.keys(checked).length === 0) throw invalid(undefined, 'nothing to change: name at least one setting');
  return run(scope, async (repos) => {
    const before = await organizationIn(repos, id);
    if (!(await repos.organizations.update(id, checked, revision))) {
      throw revision === undefined ? noOrganization(id) : stale(`organization ${id} has changed since you read it (revision ${revision})`);
    }
    return { before, after: await organizationIn(repos, id) };
  });
}

/** Deletes the organization with its roles and memberships; its id is retired for good. */
export async function deleteOrganization(scope: IssuerScope, id: string): Promise<void> {
  if (!(await scope.repos.organizations.delete(id))) throw noOrganization(id);
}

/**
 * Defines a role, or replaces all the permissions of an existing one. `expect` makes it only
 * create (`new`: a role of that name is a conflict) or only replace (`existing`: not found).
 */
export async function setRole(
  scope: IssuerScope,
  organizationId: string,
  role: string,
  permissions: readonly string[],
  expect: 'any' | 'new' | 'existing' = 'any',
): Promise<{ role: OrganizationRole; created: boolean }> {
  const name = validateRoleName(role);
  const list = validatePermissions(permissions);
  return run(scope, async (repos) => {
    await organizationIn(repos, organizationId);
    if (expect !== 'any') {
      const found = await repos.organizationRoles.find(organizationId, name);
      if (found && expect === 'new') throw conflict('role', `organization ${organizationId} already has a role "${name}"`);
      if (!found && expect === 'existing') throw notFound('role', `organization ${organizationId} has no role "${name}"`);
    }
    return repos.organizationRoles.set(organizationId, name, list);
  });
}

/** Deletes a role; returns how many members held it (they keep their other roles). */
export async function deleteRole(scope: IssuerScope, organizationId: string, role: string): Promise<number> {
  return run(scope, async (repos) => {
    await organizationIn(repos, organizationId);
    const held = await repos.organizationRoles.delete(organizationId, role);
    if (held === undefined) throw notFound('role', `organization ${organizationId} has no role "${role}"`);
    return held;
  });
}

/** Makes a user a member with `roles`, each defined in the organization. */
export async function addMember(scope: IssuerScope, organizationId: string, userId: string, roles: readonly string[]): Promise<Member> {
  const wanted = validateRoles(roles);
  return run(scope, async (repos) => {
    await organizationIn(repos, organizationId);
    await userIn(repos, userId);
    return repos.memberships.add(organizationId, userId, wanted);
  });
}

/** Replaces a member's roles (none: a member without roles). */
export async function setMemberRoles(scope: IssuerScope, organizationId: string, userId: string, roles: readonly string[]): Promise<Member> {
  const wanted = validateRoles(roles);
  return run(scope, async (repos) => {
    await organizationIn(repos, organizationId);
    const user = await userIn(repos, userId);
    const updated = await repos.memberships.setRoles(organizationId, userId, wanted);
    if (!updated) throw notFound('user', `${user.email} is not a member of ${organizationId}`);
    return updated;
  });
}

/** Makes the user a member with exactly `roles`, or sets the roles of one who is already a member. */
export async function putMember(
  scope: IssuerScope,
  organizationId: string,
  userId: string,
  roles: readonly string[],
): Promise<{ member: Member; created: boolean }> {
  const wanted = validateRoles(roles);
  return run(scope, async (repos) => {
    await organizationIn(repos, organizationId);
    await userIn(repos, userId);
    const updated = await repos.memberships.setRoles(organizationId, userId, wanted);
    if (updated) return { member: updated, created: false };
    return { member: await repos.memberships.add(organizationId, userId, wanted), created: true };
  });
}

/** Ends a membership; the member's roles in the organization go with it. */
export async function removeMember(scope: IssuerScope, organizationId: string, userId: string): Promise<void> {
  await run(scope, async (repos) => {
    await organizationIn(repos, organizationId);
    const user = await userIn(repos, userId);
    if (!(await repos.memberships.remove(organizationId, userId))) throw notFound('user', `${user.email} is not a member of ${organizationId}`);
  });
}

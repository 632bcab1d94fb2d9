import type { IssuerScope } from '../issuers/scope.js';
import { putMember, validateRoles } from '../services/organizations.js';
import { invalid, notFound } from '../services/errors.js';
import { type Text, say } from '../pages/translator.js';
import type { OrganizationSso } from '../store/repos/organization-sso.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';

/**
 * Enterprise SSO per organization: its members sign in through its provider only (`required`),
 * and an upstream claim (such as `groups`) gives them organization roles just in time.
 */

export interface SsoInput {
  providerId: string;
  required?: boolean | undefined;
  roleClaim?: string | null | undefined;
  roleMap?: Record<string, readonly string[]> | undefined;
}

const CLAIM = /^[A-Za-z0-9_:.-]{1,100}$/;

export async function setOrganizationSso(scope: IssuerScope, organizationId: string, input: SsoInput): Promise<OrganizationSso> {
  const organization = await scope.repos.organizations.find(organizationId);
  if (!organization) throw notFound('organization', `there is no organization ${organizationId.slice(0, 100)} at this issuer`);
  if (!(await scope.repos.upstreamProviders.find(input.providerId))) {
    throw invalid('providerId', `there is no upstream provider ${input.providerId.slice(0, 100)} at this issuer`);
  }
  const roleClaim = input.roleClaim ?? null;
  if (roleClaim !== null && !CLAIM.test(roleClaim)) throw invalid('roleClaim', 'the role claim must be a claim name');
  const defined = new Set((await scope.repos.organizationRoles.list(organizationId)).map((r) => r.name));
  const roleMap: Record<string, string[]> = {};
  const entries = Object.entries(input.roleMap ?? {});
  if (entries.length > 100) throw invalid('roleMap', 'at most 100 mapped values');
  for (const [value, roles] of entries) {
    if (value === '' || value.length > 200) throw invalid('roleMap', 'a mapped value must be 1 to 200 characters');
    const wanted = validateRoles(roles);
    const unknown = wanted.find((r) => !defined.has(r));
    if (unknown) throw invalid('roleMap', `${organizationId} has no role ${unknown}`);
    roleMap[value] = wanted;
  }
  if (entries.length > 0 && roleClaim === null) throw invalid('roleClaim', 'a role map needs the claim it maps');
  return scope.repos.organizationSso.put({ organizationId, providerId: input.providerId, required: input.required ?? true, roleClaim, roleMap });
}

export async function deleteOrganizationSso(scope: IssuerScope, organizationId: string): Promise<void> {
  if (!(await scope.repos.organizationSso.delete(organizationId))) {
    throw notFound('organization', `${organizationId.slice(0, 100)} has no SSO settings at this issuer`);
  }
}

/**
 * Why the user may not sign in this way: a member of an organization that requires its
 * provider, signing in another way (`via` undefined: a password, passkey or mailed code).
 */
export async function ssoRefusal(scope: IssuerScope, userId: string, via: string | undefined): Promise<Text | undefined> {
  const required = await scope.repos.organizationSso.requiredFor(userId);
  const other = required.find((s) => s.providerId !== via);
  if (!other) return undefined;
  const [organization, provider] = await Promise.all([
    scope.repos.organizations.find(other.organizationId),
    scope.repos.upstreamProviders.find(other.providerId),
  ]);
  return say('federation.sso.required', { organization: organization?.name ?? other.organizationId, provider: provider?.displayName ?? other.providerId });
}

/** The values of the claim: a string, or an array of strings (groups). */
function claimValues(claims: Record<string, unknown>, name: string): string[] {
  const value = claims[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * After a sign-in through `provider`: for each organization that maps its role claim, the roles
 * its values map to (a member is made, or their roles set); no mapped value changes nothing.
 */
export async function applySsoRoles(scope: IssuerScope, provider: UpstreamProvider, userId: string, claims: Record<string, unknown>): Promise<void> {
  for (const sso of await scope.repos.organizationSso.forProvider(provider.id)) {
    if (!sso.roleClaim) continue;
    const roles = [...new Set(claimValues(claims, sso.roleClaim).flatMap((v) => (Object.hasOwn(sso.roleMap, v) ? (sso.roleMap[v] ?? []) : [])))];
    if (roles.length === 0) continue;
    try {
      await putMember(scope, sso.organizationId, userId, roles);
    } catch (error) {
      // An organization deleted, or a role removed, since the mapping was set: logged, the sign-in goes on.
      scope.services.logger.log('warn', 'sso roles not applied', { organization: sso.organizationId, error: (error as Error).message });
    }
  }
}

import { z } from 'zod';
import { deleteOrganizationSso, setOrganizationSso } from '../../federation/sso.js';
import { notFound } from '../../services/errors.js';
import type { OrganizationSso } from '../../store/repos/organization-sso.js';
import { type AdminRoute, defineRoute } from './define.js';
import { PROBLEM_RESPONSES } from './responses.js';

const TAG = 'Upstream providers';

const ssoSchema = z
  .object({
    provider_id: z.string().meta({ description: 'The upstream provider of the organization (docs/federation.md)' }),
    required: z.boolean().meta({ description: 'Members sign in through this provider only: no password, passkey, mailed code or other provider' }),
    role_claim: z.string().nullable().meta({ description: 'The upstream claim (e.g. groups) whose values role_map maps; null: no roles from it' }),
    role_map: z
      .record(z.string(), z.array(z.string()))
      .meta({ description: 'Upstream value → organization roles, given at each sign-in (just-in-time membership)' }),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'OrganizationSso' });

const ssoInput = z
  .strictObject({
    provider_id: z.string().max(63),
    required: z.boolean().optional(),
    role_claim: z.string().max(100).nullable().optional(),
    role_map: z.record(z.string().max(200), z.array(z.string().max(100)).max(20)).optional(),
  })
  .meta({ id: 'OrganizationSsoInput' });

const FIELDS = { providerId: 'provider_id', roleClaim: 'role_claim', roleMap: 'role_map', organization: 'organization_id' };

function view(s: OrganizationSso): z.infer<typeof ssoSchema> {
  return {
    provider_id: s.providerId,
    required: s.required,
    role_claim: s.roleClaim,
    role_map: s.roleMap,
    updated_at: new Date(s.updatedAt * 1000).toISOString(),
  };
}

export const ORGANIZATION_SSO_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/organizations/{organization_id}/sso',
    operationId: 'getOrganizationSso',
    summary: 'Read an organization’s enterprise sign-in',
    tag: TAG,
    need: 'read',
    fieldNames: FIELDS,
    responses: { 200: { description: 'Its SSO settings', schema: ssoSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const id = params.organization_id ?? '';
      const sso = await scope.repos.organizationSso.find(id);
      if (!sso) throw notFound('organization', `${id.slice(0, 100)} has no SSO settings at this issuer`);
      return { status: 200, body: view(sso) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/organizations/{organization_id}/sso',
    operationId: 'putOrganizationSso',
    summary: 'Set an organization’s enterprise sign-in',
    description:
      'With required (the default), its members can sign in through the provider only. role_map gives members roles from an upstream claim at each sign-in.',
    tag: TAG,
    need: 'write',
    body: ssoInput,
    fieldNames: FIELDS,
    responses: { 200: { description: 'The SSO settings as they are now', schema: ssoSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      const sso = await setOrganizationSso(scope, params.organization_id ?? '', {
        providerId: body.provider_id,
        required: body.required,
        roleClaim: body.role_claim,
        roleMap: body.role_map,
      });
      return { status: 200, body: view(sso) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/organizations/{organization_id}/sso',
    operationId: 'deleteOrganizationSso',
    summary: 'Remove an organization’s enterprise sign-in',
    tag: TAG,
    need: 'write',
    fieldNames: FIELDS,
    responses: { 204: { description: 'Removed: members sign in any way again' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      await deleteOrganizationSso(scope, params.organization_id ?? '');
      return { status: 204 };
    },
  }),
];

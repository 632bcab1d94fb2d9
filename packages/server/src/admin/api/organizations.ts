import { z } from 'zod';
import { createOrganization, deleteOrganization, updateOrganization } from '../../services/organizations.js';
import type { IssuerScope } from '../../issuers/scope.js';
import type { Organization } from '../../store/repos/organizations.js';
import { type AdminRoute, defineRoute } from './define.js';
import { ORGANIZATION_FIELDS, newOrganizationSchema, organizationPatchSchema, organizationSchema, organizationView } from './organization-schema.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf, pageQuery, pageSchema } from './paging.js';
import { notFoundProblem } from './problem.js';
import { PROBLEM_RESPONSES } from './responses.js';

export const ORGANIZATIONS_TAG = 'Organizations';
const listQuery = z.strictObject({ ...pageQuery, q: z.string().max(200).optional().meta({ description: 'Part of the name or id, any case' }) });

/** The organization named in the path, or a 404 naming it. */
export async function existingOrganization(scope: IssuerScope, id: string): Promise<Organization> {
  const found = await scope.repos.organizations.find(id);
  if (!found) throw notFoundProblem(`There is no organization ${id.slice(0, 100)} at this issuer`);
  return found;
}

async function counted(scope: IssuerScope, o: Organization): Promise<z.infer<typeof organizationSchema>> {
  const [members, roles] = await Promise.all([scope.repos.memberships.list(o.id), scope.repos.organizationRoles.list(o.id)]);
  return organizationView(o, { members: members.length, roles: roles.length });
}

export const ORGANIZATION_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/organizations',
    operationId: 'listOrganizations',
    summary: 'List organizations',
    tag: ORGANIZATIONS_TAG,
    need: 'read',
    query: listQuery,
    responses: { 200: { description: 'A page of organizations, oldest first', schema: pageSchema(organizationSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await scope.repos.organizations.page({ after: decodeCursor(query.cursor), limit, q: query.q });
      return {
        status: 200,
        body: pageOf(
          rows,
          limit,
          (o) => [o.createdAt, o.id],
          (o) => organizationView(o, o),
        ),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/organizations',
    operationId: 'createOrganization',
    summary: 'Create an organization',
    description:
      'Its id is permanent and never given to another organization, even after a delete. Send an Idempotency-Key to retry safely: the same answer comes back for a day.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    body: newOrganizationSchema,
    idempotent: true,
    fieldNames: ORGANIZATION_FIELDS,
    responses: { 201: { description: 'The organization', schema: organizationSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      const created = await createOrganization(scope, body.id === undefined ? { name: body.name } : { id: body.id, name: body.name });
      return {
        status: 201,
        body: organizationView(created, { members: 0, roles: 0 }),
        revision: created.revision,
        location: `/organizations/${created.id}`,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/organizations/{organization_id}',
    operationId: 'getOrganization',
    summary: 'Read an organization',
    tag: ORGANIZATIONS_TAG,
    need: 'read',
    etag: true,
    responses: { 200: { description: 'The organization with its member and role counts', schema: organizationSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const found = await existingOrganization(scope, params.organization_id ?? '');
      return { status: 200, body: await counted(scope, found), revision: found.revision };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/organizations/{organization_id}',
    operationId: 'updateOrganization',
    summary: 'Rename, suspend or resume an organization',
    description:
      'A suspended organization is left out of its members’ tokens from each app’s next refresh. Send If-Match with the ETag you read: if it changed since, nothing is written and the answer is 412.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    body: organizationPatchSchema,
    etag: true,
    fieldNames: ORGANIZATION_FIELDS,
    responses: { 200: { description: 'The organization as it is now', schema: organizationSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body, checkRevision, conditional }) {
      const current = await existingOrganization(scope, params.organization_id ?? '');
      checkRevision(current.revision);
      const { after } = await updateOrganization(scope, current.id, body, conditional ? current.revision : undefined);
      return { status: 200, body: await counted(scope, after), revision: after.revision };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/organizations/{organization_id}',
    operationId: 'deleteOrganization',
    summary: 'Delete an organization',
    description: 'Deletes its roles and memberships with it. Its id is retired: no organization can be created with it again.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    etag: true,
    fieldNames: ORGANIZATION_FIELDS,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, checkRevision }) {
      const current = await existingOrganization(scope, params.organization_id ?? '');
      checkRevision(current.revision);
      await deleteOrganization(scope, current.id);
      return { status: 204 };
    },
  }),
];

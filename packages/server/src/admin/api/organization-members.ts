import { z } from 'zod';
import { deleteRole, findMemberUser, putMember, removeMember, setRole } from '../../services/organizations.js';
import { type AdminRoute, defineRoute } from './define.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf, pageQuery, pageSchema } from './paging.js';
import {
  memberRolesSchema,
  memberSchema,
  memberView,
  newRoleSchema,
  roleSchema,
  rolePatchSchema,
  roleView,
  ORGANIZATION_FIELDS,
} from './organization-schema.js';
import { ORGANIZATIONS_TAG, existingOrganization } from './organizations.js';
import { PROBLEM_RESPONSES } from './responses.js';

// In POST /roles the role is the body's `name`; elsewhere it is in the path.
const ROLE_BODY_FIELDS = { ...ORGANIZATION_FIELDS, role: 'name' };

/** An organization's roles and members. */
export const ORGANIZATION_MEMBER_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/organizations/{organization_id}/roles',
    operationId: 'listOrganizationRoles',
    summary: 'List an organization’s roles',
    tag: ORGANIZATIONS_TAG,
    need: 'read',
    responses: { 200: { description: 'Every role, by name', schema: z.object({ data: z.array(roleSchema) }) }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const o = await existingOrganization(scope, params.organization_id ?? '');
      return { status: 200, body: { data: (await scope.repos.organizationRoles.list(o.id)).map(roleView) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/organizations/{organization_id}/roles',
    operationId: 'createOrganizationRole',
    summary: 'Define a role',
    description: 'A role of that name already defined is a 409: change its permissions with PATCH.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    body: newRoleSchema,
    fieldNames: ROLE_BODY_FIELDS,
    responses: { 201: { description: 'The role', schema: roleSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      const o = await existingOrganization(scope, params.organization_id ?? '');
      const { role } = await setRole(scope, o.id, body.name, body.permissions, 'new');
      return { status: 201, body: roleView(role), location: `/organizations/${o.id}/roles/${role.name}` };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/organizations/{organization_id}/roles/{role}',
    operationId: 'updateOrganizationRole',
    summary: 'Replace a role’s permissions',
    description: 'Members holding the role get the new permissions from each app’s next token refresh or userinfo call.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    body: rolePatchSchema,
    fieldNames: ORGANIZATION_FIELDS,
    responses: { 200: { description: 'The role as it is now', schema: roleSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      const o = await existingOrganization(scope, params.organization_id ?? '');
      const { role } = await setRole(scope, o.id, params.role ?? '', body.permissions, 'existing');
      return { status: 200, body: roleView(role) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/organizations/{organization_id}/roles/{role}',
    operationId: 'deleteOrganizationRole',
    summary: 'Delete a role',
    description: 'Members who held it keep their membership and their other roles.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    fieldNames: ORGANIZATION_FIELDS,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const o = await existingOrganization(scope, params.organization_id ?? '');
      await deleteRole(scope, o.id, params.role ?? '');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/organizations/{organization_id}/members',
    operationId: 'listOrganizationMembers',
    summary: 'List an organization’s members',
    tag: ORGANIZATIONS_TAG,
    need: 'read',
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of members with their roles, by email', schema: pageSchema(memberSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, query }) {
      const o = await existingOrganization(scope, params.organization_id ?? '');
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      // The cursor's key is (0, email): members are ordered by email, unique in the issuer.
      const after = decodeCursor(query.cursor)?.[1];
      const rows = await scope.repos.memberships.page(o.id, { after, limit });
      return { status: 200, body: pageOf(rows, limit, (m) => [0, m.email], memberView) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/organizations/{organization_id}/members/{user_id}',
    operationId: 'putOrganizationMember',
    summary: 'Add a member, or set a member’s roles',
    description:
      'The user is named by id or by email (URL-encoded). Makes them a member with exactly these roles (201), or replaces the roles of a member (200). Each role must be defined in the organization.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    body: memberRolesSchema,
    fieldNames: ORGANIZATION_FIELDS,
    responses: {
      200: { description: 'The member, roles replaced', schema: memberSchema },
      201: { description: 'The new member', schema: memberSchema },
      ...PROBLEM_RESPONSES,
    },
    async handle({ scope, params, body }) {
      const o = await existingOrganization(scope, params.organization_id ?? '');
      const user = await findMemberUser(scope, params.user_id ?? '');
      const { member, created } = await putMember(scope, o.id, user.id, body.roles);
      return { status: created ? 201 : 200, body: memberView(member), location: created ? `/organizations/${o.id}/members/${user.id}` : undefined };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/organizations/{organization_id}/members/{user_id}',
    operationId: 'removeOrganizationMember',
    summary: 'End a membership',
    description: 'The user is named by id or by email. Their roles in the organization go with it.',
    tag: ORGANIZATIONS_TAG,
    need: 'write',
    fieldNames: ORGANIZATION_FIELDS,
    responses: { 204: { description: 'Removed' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const o = await existingOrganization(scope, params.organization_id ?? '');
      const user = await findMemberUser(scope, params.user_id ?? '');
      await removeMember(scope, o.id, user.id);
      return { status: 204 };
    },
  }),
];

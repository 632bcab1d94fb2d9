import { z } from 'zod';
import { ADMIN_ROLES } from '../roles.js';
import { grantAdminRole, revokeAdminRole } from '../../services/admins.js';
import type { AdminAssignment } from '../../store/repos/admin-roles.js';
import { type AdminRoute, defineRoute } from './define.js';
import { notFoundProblem } from './problem.js';
import { PROBLEM_RESPONSES } from './responses.js';

const TAG = 'Administrators';

export const adminSchema = z
  .object({
    user_id: z.string(),
    email: z.string(),
    role: z.enum(ADMIN_ROLES),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Administrator' });

const roleBody = z.strictObject({ role: z.enum(ADMIN_ROLES) }).meta({ id: 'AdminRoleChange' });

function adminView(a: AdminAssignment): z.infer<typeof adminSchema> {
  return {
    user_id: a.userId,
    email: a.email,
    role: a.role,
    created_at: new Date(a.createdAt * 1000).toISOString(),
    updated_at: new Date(a.updatedAt * 1000).toISOString(),
  };
}

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/admins',
    operationId: 'listAdmins',
    summary: 'List who administers this issuer',
    tag: TAG,
    need: 'read',
    responses: { 200: { description: 'Every administrator', schema: z.object({ data: z.array(adminSchema) }) }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      return { status: 200, body: { data: (await scope.repos.adminRoles.list()).map(adminView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/admins/{user_id}',
    operationId: 'setAdminRole',
    summary: 'Give a user of this issuer a role',
    description: 'owner, admin or viewer; replaces the role they had. Owners only. The last owner cannot be demoted.',
    tag: TAG,
    need: 'owner',
    body: roleBody,
    responses: { 200: { description: 'The assignment as it is now', schema: adminSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      return { status: 200, body: adminView(await grantAdminRole(scope, params.user_id ?? '', body.role)) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/admins/{user_id}',
    operationId: 'removeAdminRole',
    summary: 'Take a user’s role away',
    description: 'Owners only. The last owner cannot be removed.',
    tag: TAG,
    need: 'owner',
    responses: { 204: { description: 'Removed' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      if (!(await revokeAdminRole(scope, params.user_id ?? ''))) throw notFoundProblem('This user has no role here');
      return { status: 204 };
    },
  }),
];

import { z } from 'zod';
import { INVITE_LINK_TTL } from '../../password/invitations.js';
import { DEFAULT_LOCALE } from '../../pages/locales.js';
import {
  createUser,
  deleteUser,
  endAllSessionsOfUser,
  endSessionOfUser,
  inviteUser,
  revokeGrantOfUser,
  setPassword,
  updateUser,
} from '../../services/users.js';
import { conflict, invalid } from '../../services/errors.js';
import { removeScopeOfUserGrant } from '../../services/grant-scopes.js';
import type { IssuerScope } from '../../issuers/scope.js';
import type { User } from '../../store/repos/users.js';
import { type AdminCall, type AdminRoute, defineRoute } from './define.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf, pageQuery, pageSchema } from './paging.js';
import { requirePermission } from './principal.js';
import { notFoundProblem } from './problem.js';
import { PROBLEM_RESPONSES } from './responses.js';
import {
  USER_FIELDS,
  invitationQuery,
  invitationSchema,
  newUserSchema,
  passwordBodySchema,
  sessionSchema,
  sessionView,
  userGrantSchema,
  userGrantView,
  userInput,
  userPatch,
  userPatchSchema,
  userSchema,
  userView,
} from './user-schema.js';

const TAG = 'Users';
const listQuery = z.strictObject({
  ...pageQuery,
  q: z.string().max(200).optional().meta({ description: 'Part of the email or name, any case' }),
  client_id: z.string().max(200).optional().meta({ description: 'Only users with a live grant to this client' }),
});

async function existing(scope: IssuerScope, id: string): Promise<User> {
  const user = await scope.repos.users.findById(id);
  if (!user) throw notFoundProblem(`There is no user ${id.slice(0, 100)} at this issuer`);
  return user;
}

/**
 * A user who administers the issuer is changed only by an owner: an admin who could set an
 * owner's password or email could take the owner's place.
 */
async function changeable(call: AdminCall<unknown, unknown>): Promise<User> {
  const user = await existing(call.scope, call.params.user_id ?? '');
  if ((await call.scope.repos.adminRoles.find(user.id)) !== undefined) requirePermission(call.principal, 'owner');
  return user;
}

// The Admin API has no reader's language to go by: invitations are written in the default one.

export const USER_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/users',
    operationId: 'listUsers',
    summary: 'List users',
    tag: TAG,
    need: 'read',
    query: listQuery,
    responses: { 200: { description: 'A page of users, in creation order', schema: pageSchema(userSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await scope.repos.users.page({ after: decodeCursor(query.cursor), limit, q: query.q, clientId: query.client_id });
      return { status: 200, body: pageOf(rows, limit, (u) => [u.createdAt, u.id], userView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    summary: 'Create a user',
    description: 'With a password, or with "invite": true to mail a link to choose one (valid 7 days), or neither. Send an Idempotency-Key to retry safely.',
    tag: TAG,
    need: 'write',
    body: newUserSchema,
    idempotent: true,
    fieldNames: USER_FIELDS,
    responses: { 201: { description: 'The user', schema: userSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      if (body.invite && body.password !== undefined) throw invalid('invite', 'give a password or invite, not both');
      if (body.invite && !scope.services.outbox) throw conflict('invite', 'mail is not configured (GATEHOUSE_SMTP_URL): no invitation can be sent');
      const user = await createUser(scope, userInput(body), body.password ?? null);
      if (body.invite) await inviteUser(scope, user, body.locale ?? DEFAULT_LOCALE);
      return { status: 201, body: userView(user), revision: user.revision, location: `/users/${user.id}` };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/users/{user_id}',
    operationId: 'getUser',
    summary: 'Read a user',
    tag: TAG,
    need: 'read',
    etag: true,
    responses: { 200: { description: 'The user', schema: userSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const user = await existing(scope, params.user_id ?? '');
      return { status: 200, body: userView(user), revision: user.revision };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/users/{user_id}',
    operationId: 'updateUser',
    summary: 'Change a user',
    description:
      'Send If-Match with the ETag you read: if the user changed since, nothing is written (412). "disabled": true ends every session and grant. An administrator’s account is changed by owners only.',
    tag: TAG,
    need: 'write',
    body: userPatchSchema,
    etag: true,
    fieldNames: USER_FIELDS,
    responses: { 200: { description: 'The user as it is now', schema: userSchema }, ...PROBLEM_RESPONSES },
    async handle(call) {
      const current = await changeable(call);
      call.checkRevision(current.revision);
      const updated = await updateUser(call.scope, current, userPatch(call.body), { revision: call.conditional ? current.revision : undefined });
      return { status: 200, body: userView(updated), revision: updated.revision };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/users/{user_id}',
    operationId: 'deleteUser',
    summary: 'Delete a user',
    description: 'Deletes their sessions, grants, consents and memberships with them; their events stay. The last owner cannot be deleted (409).',
    tag: TAG,
    need: 'write',
    etag: true,
    fieldNames: USER_FIELDS,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle(call) {
      const current = await changeable(call);
      call.checkRevision(current.revision);
      await deleteUser(call.scope, current, { revision: call.conditional ? current.revision : undefined });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/users/{user_id}/password',
    operationId: 'setUserPassword',
    summary: 'Set a user’s password',
    description: 'Hashed with argon2id. Every session of the user ends; with revoke_grants, every grant too.',
    tag: TAG,
    need: 'write',
    body: passwordBodySchema,
    fieldNames: USER_FIELDS,
    responses: { 204: { description: 'Set' }, ...PROBLEM_RESPONSES },
    async handle(call) {
      const user = await changeable(call);
      await setPassword(call.scope, user, call.body.password, { revokeGrants: call.body.revoke_grants ?? false });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users/{user_id}/invitation',
    operationId: 'inviteUser',
    summary: 'Send an invitation again',
    query: invitationQuery,
    description: 'Mails a new link to choose a password (valid 7 days); earlier links keep working until used or expired. Needs mail configured (409).',
    tag: TAG,
    need: 'write',
    fieldNames: USER_FIELDS,
    responses: { 202: { description: 'The mail is on its way', schema: invitationSchema }, ...PROBLEM_RESPONSES },
    async handle(call) {
      const user = await changeable(call);
      await inviteUser(call.scope, user, call.query.locale ?? DEFAULT_LOCALE);
      return { status: 202, body: { recipient: user.email, expires_in: INVITE_LINK_TTL } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/users/{user_id}/sessions',
    operationId: 'listUserSessions',
    summary: 'List a user’s live sessions',
    tag: TAG,
    need: 'read',
    responses: { 200: { description: 'The live sessions, newest first (one page)', schema: pageSchema(sessionSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const user = await existing(scope, params.user_id ?? '');
      const sessions = await scope.repos.sessions.listForUser(user.id);
      return { status: 200, body: { data: sessions.map(sessionView), next_cursor: null } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/users/{user_id}/sessions',
    operationId: 'endUserSessions',
    summary: 'Sign a user out everywhere',
    description: 'Every session ends with the grants signed in through it (those given offline_access stay).',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Signed out' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const user = await existing(scope, params.user_id ?? '');
      await endAllSessionsOfUser(scope, user.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/users/{user_id}/sessions/{session_id}',
    operationId: 'endUserSession',
    summary: 'End one session of a user',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Ended' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const user = await existing(scope, params.user_id ?? '');
      const sid = params.session_id ?? '';
      if (!(await endSessionOfUser(scope, user.id, sid))) throw notFoundProblem(`The user has no live session ${sid.slice(0, 100)}`);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/users/{user_id}/grants',
    operationId: 'listUserGrants',
    summary: 'List the apps a user has given access',
    tag: TAG,
    need: 'read',
    responses: { 200: { description: 'The live grants, newest first (one page)', schema: pageSchema(userGrantSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const user = await existing(scope, params.user_id ?? '');
      const grants = await scope.repos.grants.listWithAppsForUser(user.id);
      return { status: 200, body: { data: grants.map(userGrantView), next_cursor: null } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/users/{user_id}/grants/{grant_id}',
    operationId: 'revokeUserGrant',
    summary: 'Revoke one grant of a user',
    description: 'Its refresh and access tokens stop working at once.',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Revoked' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const user = await existing(scope, params.user_id ?? '');
      const grantId = params.grant_id ?? '';
      if (!(await revokeGrantOfUser(scope, user.id, grantId))) throw notFoundProblem(`The user has no live grant ${grantId.slice(0, 100)}`);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/users/{user_id}/grants/{grant_id}/scopes/{scope}',
    operationId: 'removeUserGrantScope',
    summary: 'Remove one scope from a grant of a user',
    description:
      'The grant narrows at once: its access tokens carrying the scope become inactive at introspection and are refused at userinfo, its refreshes return tokens without it, and the user is asked for consent again before the app gets it back. Removing openid, or the grant’s last scope, revokes the grant. Records grant.scope_removed.',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Removed (or the grant revoked)' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const user = await existing(scope, params.user_id ?? '');
      const grantId = params.grant_id ?? '';
      const name = params.scope ?? '';
      if ((await removeScopeOfUserGrant(scope, user.id, grantId, name)) === 'gone') {
        throw notFoundProblem(`The user has no live grant ${grantId.slice(0, 100)} holding the scope ${name.slice(0, 100)}`);
      }
      return { status: 204 };
    },
  }),
];

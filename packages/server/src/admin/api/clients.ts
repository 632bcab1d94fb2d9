import { z } from 'zod';
import { MAX_SECRET_OVERLAP, createClient, rotateClientSecret, updateClient } from '../../services/clients.js';
import { isConsoleClient } from '../../console/client.js';
import { type AdminRoute, defineRoute } from './define.js';
import {
  CLIENT_FIELDS,
  CLIENT_LABELS,
  clientInput,
  clientPatchSchema,
  clientSchema,
  clientUpdate,
  clientView,
  createdClientSchema,
  newClientSchema,
} from './client-schema.js';
import { pageOf, decodeCursor, DEFAULT_PAGE_SIZE, pageQuery, pageSchema } from './paging.js';
import { Problem, notFoundProblem } from './problem.js';
import { PROBLEM_RESPONSES } from './responses.js';
import type { IssuerScope } from '../../issuers/scope.js';
import type { Client } from '../../store/repos/clients.js';

const TAG = 'Clients';
const listQuery = z.strictObject({ ...pageQuery, q: z.string().max(200).optional().meta({ description: 'Part of the name or client_id, any case' }) });

async function existing(scope: IssuerScope, id: string): Promise<Client> {
  const client = await scope.repos.clients.find(id);
  if (!client) throw notFoundProblem(`There is no client ${id.slice(0, 100)} at this issuer`);
  return client;
}

/** The console's own client is Gatehouse's to manage: readable, never changed through the API. */
async function changeable(scope: IssuerScope, id: string): Promise<Client> {
  const client = await existing(scope, id);
  if (isConsoleClient(client.id)) throw new Problem(409, 'conflict', 'Conflict', 'This is the console’s own client: Gatehouse manages it');
  return client;
}

const rotateBody = z
  .strictObject({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_SECRET_OVERLAP)
      .meta({ description: `Seconds the previous secret keeps working, 0 to ${MAX_SECRET_OVERLAP} (a week); 0 stops it at once` }),
  })
  .meta({ id: 'SecretRotation' });

const rotatedSchema = z
  .object({
    client_secret: z.string().meta({ description: 'Shown this once; only its hash is kept' }),
    previous_secret_expires_at: z.iso.datetime().nullable().meta({ description: 'When the previous secret stops working; null: it already has' }),
  })
  .meta({ id: 'RotatedSecret' });

export const CLIENT_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/clients',
    operationId: 'listClients',
    summary: 'List clients',
    tag: TAG,
    need: 'read',
    query: listQuery,
    responses: { 200: { description: 'A page of clients, in registration order', schema: pageSchema(clientSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await scope.repos.clients.page({ after: decodeCursor(query.cursor), limit, q: query.q });
      return { status: 200, body: pageOf(rows, limit, (c) => [c.createdAt, c.id], clientView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/clients',
    operationId: 'createClient',
    summary: 'Register a client',
    description: 'The answer holds the client secret, this once. Send an Idempotency-Key to retry safely: the same answer comes back for a day.',
    tag: TAG,
    need: 'write',
    body: newClientSchema,
    idempotent: true,
    fieldNames: CLIENT_FIELDS,
    responses: { 201: { description: 'The client, with its secret', schema: createdClientSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, principal, body }) {
      const { client, secret, warnings } = await createClient(scope, clientInput(body), CLIENT_LABELS, { privileged: principal.kind === 'person' });
      return {
        status: 201,
        body: { ...clientView(client), client_secret: secret, client_id_issued_at: client.createdAt, client_secret_expires_at: 0, warnings },
        revision: client.revision,
        location: `/clients/${client.id}`,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/clients/{client_id}',
    operationId: 'getClient',
    summary: 'Read a client',
    tag: TAG,
    need: 'read',
    etag: true,
    responses: { 200: { description: 'The client (never its secret)', schema: clientSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const client = await existing(scope, params.client_id ?? '');
      return { status: 200, body: clientView(client), revision: client.revision };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/clients/{client_id}',
    operationId: 'updateClient',
    summary: 'Change a client',
    description: 'Send If-Match with the ETag you read: if the client changed since, nothing is written and the answer is 412.',
    tag: TAG,
    need: 'write',
    body: clientPatchSchema,
    etag: true,
    fieldNames: CLIENT_FIELDS,
    responses: { 200: { description: 'The client as it is now', schema: clientSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, principal, params, body, checkRevision, conditional }) {
      const current = await changeable(scope, params.client_id ?? '');
      checkRevision(current.revision);
      const updated = await updateClient(scope, current.id, clientUpdate(body), CLIENT_LABELS, {
        privileged: principal.kind === 'person',
        revision: conditional ? current.revision : undefined,
      });
      if (!updated) throw notFoundProblem(`There is no client ${current.id} at this issuer`);
      return { status: 200, body: clientView(updated.client), revision: updated.client.revision };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/clients/{client_id}',
    operationId: 'deleteClient',
    summary: 'Delete a client',
    description: 'Deletes its grants and tokens with it: its users are signed out of it at once.',
    tag: TAG,
    need: 'write',
    etag: true,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, checkRevision }) {
      const current = await changeable(scope, params.client_id ?? '');
      checkRevision(current.revision);
      if (!(await scope.repos.clients.delete(current.id))) throw notFoundProblem(`There is no client ${current.id} at this issuer`);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/clients/{client_id}/secret',
    operationId: 'rotateClientSecret',
    summary: 'Rotate a client secret',
    description:
      'Issues a new secret, shown this once. The previous one keeps working for overlap_seconds, so the app can be redeployed first; a public client has no secret (409). Honours If-Match.',
    tag: TAG,
    need: 'write',
    body: rotateBody,
    etag: true,
    fieldNames: { overlapSeconds: 'overlap_seconds' },
    responses: { 200: { description: 'The new secret', schema: rotatedSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body, checkRevision, conditional }) {
      const current = await changeable(scope, params.client_id ?? '');
      checkRevision(current.revision);
      const rotated = await rotateClientSecret(scope, current.id, {
        overlapSeconds: body.overlap_seconds,
        revision: conditional ? current.revision : undefined,
      });
      const expires = rotated.previousSecretExpiresAt;
      return {
        status: 200,
        body: { client_secret: rotated.secret, previous_secret_expires_at: expires === null ? null : new Date(expires * 1000).toISOString() },
        revision: current.revision + 1,
      };
    },
  }),
];

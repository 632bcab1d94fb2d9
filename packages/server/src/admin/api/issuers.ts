import { z } from 'zod';
import { DEFAULT_ISSUER_ID } from '../../issuers/ids.js';
import { createIssuer, deleteIssuer, updateIssuer } from '../../issuers/service.js';
import type { Services } from '../../services.js';
import type { IssuerRecord } from '../../store/repos/issuers.js';
import { type AdminRoute, defineRoute } from './define.js';
import { issuerCall } from './issuer-errors.js';
import { Problem, badRequest, notFoundProblem } from './problem.js';
import { PROBLEM_RESPONSES } from './responses.js';
import { SETTINGS_FIELDS, effectiveSettings, settingsChanges, settingsPatchSchema, settingsSchema, settingsView } from './settings-schema.js';

/**
 * The issuers of the deployment, for system owners (owners of the default issuer): the same
 * service as `gatehouse issuer …`, so the same rules (ids never given out twice, a delete refused
 * while the issuer has users unless forced).
 */

const TAG = 'Issuers';
const domains = z.array(z.string().max(253)).max(20);

export const issuerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string().meta({ description: 'Its issuer identifier: discovery is at <url>/.well-known/openid-configuration' }),
    domains: z.array(z.string()),
    settings: settingsSchema,
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Issuer' });

const settingsOnly = settingsPatchSchema.omit({ display_name: true });

const newIssuerSchema = z
  .strictObject({
    id: z.string().max(63).meta({ description: '2 to 63 of a-z, 0-9 and "-"; permanent, and never given to another issuer after a delete' }),
    name: z.string().max(60),
    domains: domains.optional().meta({ description: 'Custom domains: requests with exactly this Host resolve to the issuer' }),
    settings: settingsOnly.optional(),
  })
  .meta({ id: 'NewIssuer' });

const issuerPatchSchema = z
  .strictObject({
    name: z.string().max(60).optional(),
    settings: settingsOnly.optional(),
    add_domains: domains.optional(),
    remove_domains: domains.optional(),
  })
  .meta({ id: 'IssuerPatch', description: 'Only the fields given change' });

const deleteQuery = z.strictObject({
  force: z.enum(['true', 'false']).optional().meta({ description: 'true deletes an issuer that still has users, with them' }),
});

const FIELDS = { ...SETTINGS_FIELDS, name: 'name' };
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

function issuerView(services: Services, issuer: IssuerRecord): z.infer<typeof issuerSchema> {
  const settings = effectiveSettings(services, issuer);
  return {
    id: issuer.id,
    name: settings.brand.name,
    url: services.scopes.urlOf(issuer).url,
    domains: issuer.domains,
    settings: settingsView(settings),
    created_at: iso(issuer.createdAt),
    updated_at: iso(issuer.updatedAt),
  };
}

async function existing(services: Services, id: string): Promise<IssuerRecord> {
  const issuer = await services.scopes.issuers.find(id);
  if (!issuer) throw notFoundProblem(`There is no issuer ${id.slice(0, 80)}`);
  return issuer;
}

export const ISSUER_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/issuers',
    operationId: 'listIssuers',
    summary: 'List the issuers',
    description: 'The default issuer first, then by id.',
    tag: TAG,
    need: 'system',
    responses: { 200: { description: 'Every issuer', schema: z.object({ data: z.array(issuerSchema) }) }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      const issuers = await scope.services.scopes.issuers.list();
      return { status: 200, body: { data: issuers.map((i) => issuerView(scope.services, i)) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/issuers',
    operationId: 'createIssuer',
    summary: 'Create an issuer',
    description: 'With its own signing keys, so its JWKS is complete before its first token. Records issuer.created in its log.',
    tag: TAG,
    need: 'system',
    body: newIssuerSchema,
    idempotent: true,
    fieldNames: FIELDS,
    responses: { 201: { description: 'The issuer', schema: issuerSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      const created = await issuerCall(FIELDS, () =>
        createIssuer(scope.services, { id: body.id, name: body.name, domains: body.domains, settings: settingsChanges(body.settings ?? {}).settings }),
      );
      return { status: 201, body: issuerView(scope.services, created), revision: created.revision, location: `/issuers/${created.id}` };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/issuers/{issuer_id}',
    operationId: 'getIssuer',
    summary: 'Read an issuer',
    tag: TAG,
    need: 'system',
    etag: true,
    responses: { 200: { description: 'The issuer', schema: issuerSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      const issuer = await existing(scope.services, params.issuer_id ?? '');
      return { status: 200, body: issuerView(scope.services, issuer), revision: issuer.revision };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/issuers/{issuer_id}',
    operationId: 'updateIssuer',
    summary: 'Change an issuer',
    description: 'Its name, settings and custom domains. Send If-Match with the ETag you read. Records issuer.updated in its log.',
    tag: TAG,
    need: 'system',
    body: issuerPatchSchema,
    etag: true,
    fieldNames: FIELDS,
    responses: { 200: { description: 'The issuer as it is now', schema: issuerSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body, checkRevision, conditional }) {
      const current = await existing(scope.services, params.issuer_id ?? '');
      checkRevision(current.revision);
      const changes = {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...settingsChanges(body.settings ?? {}),
        addDomains: body.add_domains ?? [],
        removeDomains: body.remove_domains ?? [],
      };
      if (changes.name === undefined && changes.settings === undefined && changes.addDomains.length + changes.removeDomains.length === 0) {
        throw badRequest('Nothing to change', [{ field: 'body', detail: 'give at least one field' }]);
      }
      const updated = await issuerCall(FIELDS, () =>
        updateIssuer(scope.services, current.id, changes, { revision: conditional ? current.revision : undefined }),
      );
      if (!updated) throw notFoundProblem(`There is no issuer ${current.id}`);
      return { status: 200, body: issuerView(scope.services, updated), revision: updated.revision };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/issuers/{issuer_id}',
    operationId: 'deleteIssuer',
    summary: 'Delete an issuer',
    description:
      'With its clients, users, organizations, sessions, tokens and keys. Refused (409) while it has users, unless ?force=true. Its id is never given to another issuer. The default issuer cannot be deleted. Records issuer.deleted in the default issuer’s log.',
    tag: TAG,
    need: 'system',
    query: deleteQuery,
    etag: true,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, query, checkRevision }) {
      const current = await existing(scope.services, params.issuer_id ?? '');
      if (current.id === DEFAULT_ISSUER_ID) throw new Problem(409, 'conflict', 'Conflict', 'The default issuer cannot be deleted');
      checkRevision(current.revision);
      const deleted = await issuerCall(FIELDS, () => deleteIssuer(scope.services, current.id, query.force === 'true'));
      if (!deleted) throw notFoundProblem(`There is no issuer ${current.id}`);
      return { status: 204 };
    },
  }),
];

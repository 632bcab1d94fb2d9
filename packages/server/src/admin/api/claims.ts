import { z } from 'zod';
import type { ApiDefinition, AttributeDefinition, AttributeTarget, ScopeDefinition } from '../../claims/config.js';
import type { HookDefinition } from '../../claims/hook.js';
import { ClaimsService } from '../../claims/service.js';
import type { IssuerScope } from '../../issuers/scope.js';
import { notFound } from '../../services/errors.js';
import { type AdminRoute, defineRoute } from './define.js';
import { PROBLEM_RESPONSES } from './responses.js';

const TAG = 'Scopes and claims';
const service = (scope: IssuerScope): ClaimsService => new ClaimsService(scope.services, scope.id);

const apiScopeSchema = z.object({ name: z.string(), description: z.string() }).meta({ id: 'ApiScope' });
const apiSchema = z
  .object({
    identifier: z.string().meta({ description: 'The RFC 8707 resource URI apps ask tokens for; the `aud` of its access tokens' }),
    name: z.string(),
    scopes: z.array(apiScopeSchema),
    access_token_ttl: z.number().int().nullable().meta({ description: 'Seconds its access tokens live; null for the issuer’s' }),
    claims: z.array(z.string()).meta({ description: 'Claims about the user its access tokens carry: attributes or built-in claims' }),
  })
  .meta({ id: 'Api' });
const apiInputSchema = z
  .strictObject({
    identifier: z.string().max(500),
    name: z.string().max(200),
    scopes: z.array(z.union([z.string(), z.strictObject({ name: z.string(), description: z.string().max(300).optional() })])).optional(),
    access_token_ttl: z.number().int().nullable().optional(),
    claims: z.array(z.string()).optional(),
  })
  .meta({ id: 'ApiInput' });

const scopeSchema = z
  .object({
    name: z.string(),
    descriptions: z.record(z.string(), z.string()).meta({ description: 'What the consent page says, by language (en required)' }),
    claims: z.array(z.string()),
    optional: z.boolean().meta({ description: 'Whether the user may untick it on the consent page' }),
    id_token: z.boolean().meta({ description: 'Whether its claims go into the ID token even with an access token for userinfo' }),
  })
  .meta({ id: 'CustomScope' });
const scopeInputSchema = z
  .strictObject({
    descriptions: z.record(z.string(), z.string()),
    claims: z.array(z.string()).optional(),
    optional: z.boolean().optional(),
    id_token: z.boolean().optional(),
  })
  .meta({ id: 'CustomScopeInput' });

const attributeSchema = z
  .object({
    name: z.string(),
    target: z.enum(['user', 'organization']),
    schema: z.record(z.string(), z.unknown()).meta({ description: 'A JSON Schema (the subset in docs/scopes-and-claims.md) every value must match' }),
    description: z.string(),
  })
  .meta({ id: 'AttributeDefinition' });
const attributeInputSchema = z
  .strictObject({ target: z.enum(['user', 'organization']).optional(), schema: z.record(z.string(), z.unknown()), description: z.string().max(300).optional() })
  .meta({ id: 'AttributeDefinitionInput' });

const hookSchema = z
  .object({
    name: z.string(),
    url: z.string(),
    claims: z.array(z.string()).meta({ description: 'The claims it may add; anything else in its answer is dropped' }),
    scopes: z.array(z.string()).meta({ description: 'Called only for grants with one of these scopes; always when empty' }),
    failure: z.enum(['deny', 'omit']).meta({ description: 'deny: no tokens while it fails (503); omit: tokens without its claims' }),
  })
  .meta({ id: 'ClaimsHook' });
const createdHookSchema = hookSchema
  .extend({ secret: z.string().nullable().meta({ description: 'The signing secret (whsec_…) of a new hook, shown this once; null on a replace' }) })
  .meta({ id: 'ClaimsHookWritten' });
const hookInputSchema = z
  .strictObject({
    url: z.string().max(2000),
    claims: z.array(z.string()),
    scopes: z.array(z.string()).optional(),
    failure: z.enum(['deny', 'omit']).optional(),
  })
  .meta({ id: 'ClaimsHookInput' });

function hookView(h: HookDefinition): z.infer<typeof hookSchema> {
  return { name: h.name, url: h.url, claims: h.claims, scopes: h.scopes, failure: h.failure };
}

const valuesSchema = z.record(z.string(), z.unknown()).meta({ id: 'AttributeValues', description: 'Attribute name → value' });
const valueInputSchema = z.strictObject({ value: z.unknown() }).meta({ id: 'AttributeValue' });
const apiQuery = z.strictObject({ identifier: z.string().max(500) });

function apiView(a: ApiDefinition): z.infer<typeof apiSchema> {
  return { identifier: a.identifier, name: a.name, scopes: a.scopes, access_token_ttl: a.accessTokenTtl, claims: a.claims };
}
function scopeView(s: ScopeDefinition): z.infer<typeof scopeSchema> {
  return { name: s.name, descriptions: s.descriptions, claims: s.claims, optional: s.optional, id_token: s.idToken };
}
function attributeView(a: AttributeDefinition): z.infer<typeof attributeSchema> {
  return { name: a.name, target: a.target, schema: a.schema as Record<string, unknown>, description: a.description };
}

const FIELDS = { accessTokenTtl: 'access_token_ttl', idToken: 'id_token', user: 'user_id', organization: 'organization_id' };

/** The attribute value routes of users or organizations. */
function valueRoutes(target: AttributeTarget): AdminRoute[] {
  const base = target === 'user' ? '/users/{user_id}/attributes' : '/organizations/{organization_id}/attributes';
  const param = target === 'user' ? 'user_id' : 'organization_id';
  const noun = target === 'user' ? 'User' : 'Organization';
  return [
    defineRoute({
      method: 'get',
      path: base,
      operationId: `list${noun}Attributes`,
      summary: `Read a ${target}’s attributes`,
      tag: TAG,
      need: 'read',
      fieldNames: FIELDS,
      responses: { 200: { description: 'Every attribute set, by name', schema: valuesSchema }, ...PROBLEM_RESPONSES },
      async handle({ scope, params }) {
        return { status: 200, body: await service(scope).attributesOf(target, params[param] ?? '') };
      },
    }),
    defineRoute({
      method: 'put',
      path: `${base}/{name}`,
      operationId: `set${noun}Attribute`,
      summary: `Set a ${target}’s attribute`,
      description: 'The value must match the attribute’s schema (400 naming each problem). It shows in the next token, refresh and userinfo answer.',
      tag: TAG,
      need: 'write',
      body: valueInputSchema,
      fieldNames: FIELDS,
      responses: { 200: { description: 'The attributes as they are now', schema: valuesSchema }, ...PROBLEM_RESPONSES },
      async handle({ scope, params, body }) {
        const claims = service(scope);
        await claims.setAttribute(target, params[param] ?? '', params.name ?? '', body.value);
        return { status: 200, body: await claims.attributesOf(target, params[param] ?? '') };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${base}/{name}`,
      operationId: `unset${noun}Attribute`,
      summary: `Remove a ${target}’s attribute`,
      tag: TAG,
      need: 'write',
      fieldNames: FIELDS,
      responses: { 204: { description: 'Removed (or was not set)' }, ...PROBLEM_RESPONSES },
      async handle({ scope, params }) {
        await service(scope).unsetAttribute(target, params[param] ?? '', params.name ?? '');
        return { status: 204 };
      },
    }),
  ];
}

/** The issuer's APIs, custom scopes, attribute schemas and attribute values (claims/, docs/scopes-and-claims.md). */
export const CLAIM_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/apis',
    operationId: 'listApis',
    summary: 'List APIs (resource servers)',
    tag: TAG,
    need: 'read',
    responses: { 200: { description: 'Every API, in registration order', schema: z.object({ items: z.array(apiSchema) }) }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      return { status: 200, body: { items: (await service(scope).config()).apis.map(apiView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/apis',
    operationId: 'putApi',
    summary: 'Register or replace an API',
    description: 'By identifier. Its scope names are unique in the issuer; its claims must be attributes or built-in claims, never reserved ones.',
    tag: TAG,
    need: 'write',
    body: apiInputSchema,
    fieldNames: FIELDS,
    responses: { 200: { description: 'Replaced', schema: apiSchema }, 201: { description: 'Registered', schema: apiSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      const { api, created } = await service(scope).putApi({ ...body, accessTokenTtl: body.access_token_ttl });
      return { status: created ? 201 : 200, body: apiView(api) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/apis',
    operationId: 'deleteApi',
    summary: 'Delete an API',
    description: 'Its scopes stop being API scopes; clients keep the identifier in their resources until changed.',
    tag: TAG,
    need: 'write',
    query: apiQuery,
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      await service(scope).deleteApi(query.identifier);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/scopes',
    operationId: 'listScopes',
    summary: 'List the issuer’s own user-facing scopes',
    tag: TAG,
    need: 'read',
    responses: { 200: { description: 'Every custom scope', schema: z.object({ items: z.array(scopeSchema) }) }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      return { status: 200, body: { items: (await service(scope).config()).scopes.map(scopeView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/scopes/{name}',
    operationId: 'putScope',
    summary: 'Define or replace a user-facing scope',
    tag: TAG,
    need: 'write',
    body: scopeInputSchema,
    fieldNames: FIELDS,
    responses: { 200: { description: 'Replaced', schema: scopeSchema }, 201: { description: 'Defined', schema: scopeSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      const { scope: defined, created } = await service(scope).putScope({ ...body, name: params.name, idToken: body.id_token });
      return { status: created ? 201 : 200, body: scopeView(defined) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/scopes/{name}',
    operationId: 'deleteScope',
    summary: 'Delete a user-facing scope',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      await service(scope).deleteScope(params.name ?? '');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/attributes',
    operationId: 'listAttributeDefinitions',
    summary: 'List attribute definitions (their JSON schemas)',
    tag: TAG,
    need: 'read',
    responses: { 200: { description: 'Every attribute definition', schema: z.object({ items: z.array(attributeSchema) }) }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      return { status: 200, body: { items: (await service(scope).config()).attributes.map(attributeView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/attributes/{name}',
    operationId: 'putAttributeDefinition',
    summary: 'Define or replace an attribute',
    description: 'The name is the claim’s: reserved claims (iss sub aud exp iat nbf jti client_id scope cnf auth_time acr amr sid …) are refused.',
    tag: TAG,
    need: 'write',
    body: attributeInputSchema,
    responses: { 200: { description: 'Replaced', schema: attributeSchema }, 201: { description: 'Defined', schema: attributeSchema }, ...PROBLEM_RESPONSES },
    async handle({ scope, params, body }) {
      const { attribute, created } = await service(scope).putAttribute({ ...body, name: params.name });
      return { status: created ? 201 : 200, body: attributeView(attribute) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/attributes/{name}',
    operationId: 'deleteAttributeDefinition',
    summary: 'Delete an attribute and every value of it',
    description: 'Refused (409) while a scope or an API releases it.',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      await service(scope).deleteAttribute(params.name ?? '');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/claims-hooks',
    operationId: 'listClaimsHooks',
    summary: 'List claims hooks',
    tag: TAG,
    need: 'read',
    responses: { 200: { description: 'Every hook (never its secret)', schema: z.object({ items: z.array(hookSchema) }) }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      return { status: 200, body: { items: ((await service(scope).config()).hooks ?? []).map(hookView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/claims-hooks/{name}',
    operationId: 'putClaimsHook',
    summary: 'Register or replace a claims hook',
    description:
      'Called at code exchange and refresh with the user, client, scopes and resource, signed as a Standard Webhook; 1.5 s timeout. A new hook’s secret is in this answer only.',
    tag: TAG,
    need: 'write',
    body: hookInputSchema,
    responses: {
      200: { description: 'Replaced (the secret stays)', schema: createdHookSchema },
      201: { description: 'Registered', schema: createdHookSchema },
      ...PROBLEM_RESPONSES,
    },
    async handle({ scope, params, body }) {
      const { hook, created, secret } = await service(scope).putHook({ ...body, name: params.name });
      return { status: created ? 201 : 200, body: { ...hookView(hook), secret: secret ?? null } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/claims-hooks/{name}',
    operationId: 'deleteClaimsHook',
    summary: 'Delete a claims hook',
    description: 'Refused (409) while an API releases its claims.',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Deleted' }, ...PROBLEM_RESPONSES },
    async handle({ scope, params }) {
      await service(scope).deleteHook(params.name ?? '');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/integrations/stripe',
    operationId: 'connectStripe',
    summary: 'Connect the issuer to Stripe',
    description:
      'The webhook signing secret of the Stripe endpoint <issuer>/integrations/stripe/webhook (stored sealed, never shown again) and whether subscriptions belong to users or organizations. Defines the stripe_customer and subscription attributes and the subscription scope when missing.',
    tag: TAG,
    need: 'write',
    body: z.strictObject({ webhook_secret: z.string().max(300), target: z.enum(['user', 'organization']).optional() }).meta({ id: 'StripeConnection' }),
    fieldNames: { webhookSecret: 'webhook_secret' },
    responses: { 204: { description: 'Connected' }, ...PROBLEM_RESPONSES },
    async handle({ scope, body }) {
      await service(scope).connectStripe({ webhookSecret: body.webhook_secret, target: body.target });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/integrations/stripe',
    operationId: 'getStripeConnection',
    summary: 'Show the Stripe connection',
    description: 'Whether the issuer is connected to Stripe and whether subscriptions belong to users or organizations; never the secret.',
    tag: TAG,
    need: 'read',
    responses: {
      200: {
        description: 'Connected',
        schema: z.object({ connected: z.literal(true), target: z.enum(['user', 'organization']) }).meta({ id: 'StripeConnectionView' }),
      },
      ...PROBLEM_RESPONSES,
    },
    async handle({ scope }) {
      const connection = await service(scope).stripeConnection();
      if (!connection) throw notFound('stripe', 'This issuer is not connected to Stripe');
      return { status: 200, body: { connected: true as const, target: connection.target } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/integrations/stripe',
    operationId: 'disconnectStripe',
    summary: 'Disconnect Stripe',
    description:
      'Forgets the webhook secret: the webhook answers 404 from then on. The stripe_customer and subscription attributes, the subscription scope and the subscriptions kept stay.',
    tag: TAG,
    need: 'write',
    responses: { 204: { description: 'Disconnected' }, ...PROBLEM_RESPONSES },
    async handle({ scope }) {
      await service(scope).disconnectStripe();
      return { status: 204 };
    },
  }),
  ...valueRoutes('user'),
  ...valueRoutes('organization'),
];

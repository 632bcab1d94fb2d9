import { z } from 'zod';
import type { IssuerScope } from '../../issuers/scope.js';
import { API_BASE, type AdminRoute } from './define.js';

type Json = Record<string, unknown>;

const NEEDS: Record<AdminRoute['need'], string> = {
  read: 'viewer, admin or owner; or a machine token with admin:read',
  write: 'admin or owner; or a machine token with admin:write',
  owner: 'owner',
  system: 'owner of the default issuer',
};

/**
 * Every schema the routes name, as components/schemas (OpenAPI 3.1 takes JSON Schema 2020-12):
 * a schema with a zod `id` under that name, one without under a name made from its route, each
 * nested named schema referenced (`#/components/schemas/<id>`) rather than copied.
 */
class Components {
  readonly #registry = z.registry<{ id: string }>();

  constructor() {
    // Named schemas nested in others (a Client inside a page of them) are components of their own.
    const named = (z.globalRegistry as unknown as { _idmap?: Map<string, z.ZodType> })._idmap ?? new Map();
    for (const [id, schema] of named) this.#registry.add(schema, { id });
  }

  /** A reference to `schema`, registering it as `fallback` when it has no name. */
  ref(schema: z.ZodType, fallback: string): Json {
    const id = this.#registry.get(schema)?.id ?? fallback;
    if (!this.#registry.has(schema)) this.#registry.add(schema, { id });
    return { $ref: `#/components/schemas/${id}` };
  }

  schemas(): Json {
    const { schemas } = z.toJSONSchema(this.#registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output', unrepresentable: 'any' }) as {
      schemas: Record<string, Json>;
    };
    for (const schema of Object.values(schemas)) {
      delete schema.$schema;
      delete schema.$id;
    }
    return schemas;
  }
}

/** A query schema, inline: each property becomes a parameter. */
function inputSchemaOf(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete json.$schema;
  return json;
}

/** Query parameters from a route's query schema, one per property. */
function queryParameters(route: AdminRoute): Json[] {
  if (!route.query) return [];
  const json = inputSchemaOf(route.query) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: schema.description,
    schema: { ...schema, description: undefined },
  }));
}

function pathParameters(route: AdminRoute): Json[] {
  return [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function operation(route: AdminRoute, components: Components): Json {
  const headers: Json[] = [];
  if (route.etag && route.method !== 'get') {
    headers.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'The ETag read: the change applies only to that revision',
      schema: { type: 'string' },
    });
  }
  if (route.idempotent) {
    headers.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A retry with the same key gets the same answer for a day',
      schema: { type: 'string', maxLength: 255 },
    });
  }
  const responses: Json = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const contentType = Number(status) >= 400 ? 'application/problem+json' : 'application/json';
    responses[status] = spec.schema
      ? { description: spec.description, content: { [contentType]: { schema: components.ref(spec.schema, `${route.operationId}${status}`) } } }
      : { description: spec.description };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, `Who may: ${NEEDS[route.need]}.`].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    parameters: [...pathParameters(route), ...queryParameters(route), ...headers],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: components.ref(route.body, `${route.operationId}Body`) } } } }
      : {}),
    responses,
    security: [{ bearer: [] }],
  };
}

/** What the document says of the issuer it describes: its name and its URLs. */
export type OpenApiSite = Pick<IssuerScope, 'href'> & { settings: { brand: { name: string } } };

/**
 * The Admin API's OpenAPI 3.1 document, from the route table: the same zod schemas that
 * validate each request describe it, so the document cannot drift from what is enforced.
 */
export function openApiDocument(scope: OpenApiSite, routes: readonly AdminRoute[], version: string): Json {
  const paths: Record<string, Json> = {};
  const components = new Components();
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method] = operation(route, components);
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.1',
    info: {
      title: `Gatehouse Admin API (${scope.settings.brand.name})`,
      version,
      description:
        'Manage this issuer: clients, administrators and more. Authenticate with one of this issuer’s access tokens for the audience (RFC 8707 resource) ' +
        `${scope.href('/admin/api')}: people signed in to the console, or machine clients with admin:read / admin:write through client_credentials.`,
    },
    servers: [{ url: scope.href(API_BASE) }],
    components: {
      schemas: components.schemas(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (RFC 9068)' } },
    },
    paths,
  };
}

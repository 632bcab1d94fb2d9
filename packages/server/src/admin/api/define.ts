import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { actingAs } from '../../store/repos/events.js';
import { issuerScope } from '../../http/scope.js';
import { requestContext } from '../../http/request-log.js';
import { clientIp } from '../../http/client-ip.js';
import type { IssuerScope } from '../../issuers/scope.js';
import { describeError } from '../../log.js';
import type { AdminPermission } from '../roles.js';
import { type IdempotentAnswer, withIdempotency } from './idempotency.js';
import { jsonBody, queryParams } from './input.js';
import { type AdminPrincipal, adminPrincipal, requirePermission } from './principal.js';
import { type FieldNames, Problem, asProblem, sendProblem } from './problem.js';

export const API_BASE = '/admin/api/v1';

/** What a handler answers: a status, a JSON body, and the revision of the resource (its ETag). */
export interface RouteResult {
  status: number;
  body?: unknown;
  revision?: number;
  /** A path under the API (for 201's Location). */
  location?: string;
}

/** A request as a handler sees it: already authenticated, authorized and validated. */
export interface AdminCall<Q, B> {
  scope: IssuerScope;
  principal: AdminPrincipal;
  params: Record<string, string>;
  query: Q;
  body: B;
  /** Throws 412 when the request's If-Match names another revision than `current`. */
  checkRevision(current: number): void;
  /** Whether the request carried If-Match (an update must then apply only to that revision). */
  conditional: boolean;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
}

export interface AdminRoute<Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI style, under /admin/api/v1: `/clients/{client_id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  need: AdminPermission;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  responses: Record<number, ResponseSpec>;
  /** How the services' field names read in this resource (problem `errors[].field`). */
  fieldNames?: FieldNames;
  /** A create that honours Idempotency-Key. */
  idempotent?: boolean;
  /** Whether responses carry an ETag (and updates honour If-Match). */
  etag?: boolean;
  handle(call: AdminCall<Q, B>): Promise<RouteResult>;
}

/** Keeps a route's types while the table holds routes of many shapes. */
export function defineRoute<Q, B>(route: AdminRoute<Q, B>): AdminRoute<unknown, unknown> {
  return route as unknown as AdminRoute<unknown, unknown>;
}

/** A strong ETag for a revision; only these match If-Match (RFC 9110 §13.1.1: strong comparison). */
export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/** The revisions an If-Match header accepts: '*' (any), a list, or undefined when absent. */
function ifMatch(c: Context): '*' | number[] | undefined {
  const header = c.req.header('if-match');
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  const tags = header.split(',').map((t) => t.trim());
  // Weak tags never match strongly; a malformed one matches nothing, which is a 412, not a 400.
  return tags.flatMap((t) => {
    const m = /^"(\d{1,15})"$/.exec(t);
    return m ? [Number(m[1])] : [];
  });
}

const preconditionFailed = (): Problem =>
  new Problem(412, 'precondition_failed', 'The resource has changed', 'It was changed since you read it: read it again (GET) and apply your change to that');

function respond(c: Context, result: RouteResult): Response {
  c.header('Cache-Control', 'no-store');
  if (result.revision !== undefined) c.header('ETag', etagOf(result.revision));
  if (result.location) c.header('Location', issuerScope(c).path(`${API_BASE}${result.location}`));
  if (result.body === undefined) return c.body(null, result.status as ContentfulStatusCode);
  return c.json(result.body as object, result.status as ContentfulStatusCode);
}

function answerOf(result: RouteResult): IdempotentAnswer {
  return { status: result.status, body: result.body, revision: result.revision, location: result.location };
}

/** Serves one route: authentication, permission, input, idempotency, then the handler. */
async function serve(route: AdminRoute, c: Context): Promise<Response> {
  const scope = issuerScope(c);
  try {
    const principal = await adminPrincipal(scope, c);
    requirePermission(principal, route.need);
    const query = route.query ? queryParams(c, route.query) : undefined;
    const input = route.body ? await jsonBody(c, route.body) : undefined;
    const wanted = route.etag ? ifMatch(c) : undefined;
    const call: AdminCall<unknown, unknown> = {
      scope,
      principal,
      params: c.req.param() as Record<string, string>,
      query,
      body: input?.value,
      conditional: wanted !== undefined,
      checkRevision(current) {
        if (wanted === undefined || wanted === '*') return;
        if (!wanted.includes(current)) throw preconditionFailed();
      },
    };
    const address = clientIp(c, scope.services.config.trustProxy);
    const run = (): Promise<RouteResult> => actingAs(principal.actor, () => route.handle(call), address);
    const key = route.idempotent ? c.req.header('idempotency-key') : undefined;
    if (key === undefined) return respond(c, await run());
    const answer = await withIdempotency(scope, principal, key, `${route.method} ${c.req.path} ${input?.raw ?? ''}`, async () => answerOf(await run()));
    if (answer.replayed) c.header('Idempotent-Replayed', 'true');
    return respond(c, answer);
  } catch (error) {
    const problem = asProblem(error, route.fieldNames);
    if (problem) return sendProblem(c, problem);
    const reference = requestContext(c).id;
    scope.services.logger.log('error', 'unhandled', { request_id: reference, route: route.path, ...describeError(error) });
    return sendProblem(c, new Problem(500, 'server_error', 'Something went wrong', `Quote reference ${reference} to the operator`));
  }
}

/** `/clients/{client_id}` as Hono writes it: `/clients/:client_id`. */
function honoPath(path: string): string {
  return `${API_BASE}${path.replace(/\{([a-z_]+)\}/g, ':$1')}`;
}

export function registerRoutes(app: Hono, routes: readonly AdminRoute[]): void {
  for (const route of routes) app.on(route.method.toUpperCase(), honoPath(route.path), (c) => serve(route, c));
}

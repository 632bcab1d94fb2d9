import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { LogLevel } from '../log.js';
import type { Services } from '../services.js';
import { issuerScope } from './scope.js';

/** What the request's log line says besides what the router knows; filled in as it is learnt. */
export interface RequestContext {
  /** Short and random: shown on error pages as the reference a person can quote. */
  readonly id: string;
  /** The client, once it is known (authenticated at the token endpoint, named at authorize). */
  client: string | undefined;
}

declare module 'hono' {
  interface ContextVariableMap {
    request: RequestContext;
  }
}

/** 12 hex digits (48 bits): unique enough to find one line in a day of logs, short enough to read out. */
export function newRequestId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13);
}

/** The request's context; a fresh one (with no client) for code run outside the middleware. */
export function requestContext(c: Context): RequestContext {
  const known = c.get('request');
  if (known) return known;
  const context = { id: newRequestId(), client: undefined };
  c.set('request', context);
  return context;
}

/** Names the request's client in its log line. */
export function noteClient(c: Context, clientId: string): void {
  requestContext(c).client = clientId;
}

/**
 * A security event's log line (docs/production.md, "Logs"), tied to its request by request_id
 * and to the issuer. Fields must be safe to keep: ids, reasons, a redirect_uri; never a secret,
 * token, code or password.
 */
export function logSecurityEvent(c: Context, level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const scope = issuerScope(c);
  const context = requestContext(c);
  scope.services.logger.log(level, event, { security: true, request_id: context.id, issuer: scope.id, client: context.client, ...fields });
}

/** The router's pattern of the route that answered; "unmatched" when only middleware ran (a 404). */
function routeOf(c: Context): string {
  const path = c.req.routePath;
  return path === '/*' || path === '*' ? 'unmatched' : path;
}

/**
 * One log line and one metrics observation per request: method, route pattern (never the URL or
 * its query), status, duration, issuer, client when known and the request id, which the answer
 * carries as X-Request-Id and error pages show.
 */
export function requestLogging(services: Services): MiddlewareHandler {
  const { logger, metrics } = services;
  return async (c, next) => {
    const started = performance.now();
    const context: RequestContext = { id: newRequestId(), client: undefined };
    c.set('request', context);
    // Set before the handler runs, as the security headers are (security-headers.ts).
    c.header('X-Request-Id', context.id);
    await next();
    const ms = performance.now() - started;
    const route = routeOf(c);
    const status = c.res.status;
    const issuer = issuerScope(c).id;
    metrics.request(issuer, c.req.method, route, status, ms / 1000);
    logger.log('info', 'request', {
      request_id: context.id,
      method: c.req.method,
      route,
      status,
      ms: Math.round(ms * 10) / 10,
      issuer,
      client: context.client,
    });
  };
}

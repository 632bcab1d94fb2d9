import { Hono } from 'hono';
import { registerAccount } from './account/routes.js';
import { registerFactorPages } from './factors/account-routes.js';
import { registerAdminApi } from './admin/api/routes.js';
import { registerConsole } from './console/routes.js';
import { registerAssets } from './endpoints/assets.js';
import { registerAbuse } from './abuse/routes.js';
import { registerAuthorize } from './endpoints/authorize.js';
import { registerDiscovery } from './endpoints/discovery.js';
import { registerEndSession } from './endpoints/end-session.js';
import { registerHealth } from './endpoints/health.js';
import { registerHome } from './endpoints/home.js';
import { registerIntrospect } from './endpoints/introspect.js';
import { registerMetrics } from './endpoints/metrics.js';
import { registerJwks } from './endpoints/jwks.js';
import { registerRevoke } from './endpoints/revoke.js';
import { registerRevocationFeed } from './endpoints/revocation-feed.js';
import { registerToken } from './endpoints/token.js';
import { registerUserinfo } from './endpoints/userinfo.js';
import { registerStripeWebhook } from './claims/stripe.js';
import { handleError, isPagePath } from './http/errors.js';
import { sendPage } from './http/respond.js';
import { type IssuerBindings, issuerScope } from './http/scope.js';
import { newRequestId, requestContext, requestLogging } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { registerInteractions } from './interactions/routes.js';
import { registerPasswordReset } from './password/routes.js';
import { registerSignUp } from './signup/routes.js';
import { registerFederation } from './federation/routes.js';
import { ErrorPage } from './pages/layout.js';
import { say } from './pages/translator.js';
import { pageTranslator } from './http/locale.js';
import type { Resolved } from './issuers/scopes.js';
import { describeError } from './log.js';
import type { Services } from './services.js';

/** The HTTP surface: a fetch handler, and `request` for tests (as Hono's app.request). */
export interface GatehouseApp {
  fetch(request: Request, env?: object): Response | Promise<Response>;
  request(input: string | Request | URL, init?: RequestInit): Promise<Response>;
}

/**
 * The whole HTTP surface. Each request is first resolved to its issuer (issuers/scopes.ts):
 * the routes below are every issuer's, matched against the path inside the issuer, and each
 * handler takes what belongs to the issuer from its scope.
 */
export function createApp(services: Services): GatehouseApp {
  const { logger } = services;
  // Routes match the path inside the issuer, which the resolver found before routing.
  const app = new Hono({ getPath: (_request, options) => (options as { env: IssuerBindings }).env.route });
  app.use(requestLogging(services));
  app.use(securityHeaders(services.config));
  // While shutting down, each answer closes its connection, so keep-alive sockets do not hold
  // the process open until their idle timeout.
  app.use(async (c, next) => {
    await next();
    if (services.state.draining) c.header('Connection', 'close');
  });
  app.onError((error, c) => handleError(error, c, issuerScope(c), logger));
  app.notFound((c) => {
    if (isPagePath(c.req.path)) {
      const reference = requestContext(c).id;
      return sendPage(
        c,
        ErrorPage({ site: issuerScope(c), t: pageTranslator(c), title: say('error.notFound.title'), message: say('error.notFound'), reference }),
        404,
      );
    }
    return c.json({ error: 'not_found', error_description: 'No such endpoint' }, 404);
  });

  registerHome(app);
  registerHealth(app, services);
  registerMetrics(app, services);
  registerDiscovery(app);
  registerJwks(app);
  registerAssets(app);
  registerAbuse(app);
  registerAuthorize(app);
  // Before the interactions: their POST /interaction/:uid/:step would take the sign-up's post.
  registerSignUp(app, services.outbox !== undefined);
  registerFederation(app);
  registerInteractions(app);
  registerEndSession(app);
  registerAccount(app);
  registerFactorPages(app);
  registerPasswordReset(app, services);
  registerToken(app);
  registerUserinfo(app);
  registerStripeWebhook(app);
  registerRevoke(app);
  registerIntrospect(app);
  registerRevocationFeed(app);
  registerAdminApi(app);
  // The console calls the Admin API and the token endpoint in process, through the same fetch.
  registerConsole(app, (request, env) => fetch(request, env));

  // Answers given before any issuer was found have their log line and metrics here, under no issuer.
  const unrouted = (request: Request, started: number, status: number): string => {
    const id = newRequestId();
    const ms = performance.now() - started;
    services.metrics.request('', request.method, 'unmatched', status, ms / 1000);
    logger.log('info', 'request', { request_id: id, method: request.method, route: 'unmatched', status, ms: Math.round(ms * 10) / 10 });
    return id;
  };

  const notOurs = (request: Request, started: number): Response => {
    const id = unrouted(request, started, 404);
    return new Response(JSON.stringify({ error: 'not_found', error_description: 'No such endpoint' }), {
      status: 404,
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': id },
    });
  };

  // The issuer could not be read and none was cached (the database is down).
  const unavailable = (request: Request, started: number, error: unknown): Response => {
    const id = unrouted(request, started, 503);
    logger.log('warn', 'unavailable', { request_id: id, ...describeError(error) });
    return new Response(JSON.stringify({ error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable' }), {
      status: 503,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '5', 'Cache-Control': 'no-store', 'X-Request-Id': id },
    });
  };

  const fetch = (request: Request, env?: object): Response | Promise<Response> => {
    const started = performance.now();
    const dispatch = (resolved: Resolved | undefined): Response | Promise<Response> => {
      if (!resolved) return notOurs(request, started);
      const bindings: IssuerBindings = { scope: resolved.scope, route: resolved.path };
      return app.fetch(request, env ? Object.assign(Object.create(null), env, bindings) : bindings);
    };
    let resolved: ReturnType<typeof services.scopes.resolve>;
    try {
      resolved = services.scopes.resolve(request);
    } catch (error) {
      return unavailable(request, started, error);
    }
    return resolved instanceof Promise ? resolved.then(dispatch, (error: unknown) => unavailable(request, started, error)) : dispatch(resolved);
  };

  return {
    fetch,
    request: (input, init) => {
      const request =
        input instanceof Request
          ? init
            ? new Request(input, init)
            : input
          : new Request(typeof input === 'string' && !/^https?:\/\//.test(input) ? `http://localhost${input}` : input, init);
      return Promise.resolve(fetch(request));
    },
  };
}

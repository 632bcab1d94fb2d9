import { Hono } from 'hono';
import { registerAccount } from './account/routes.js';
import { registerAssets } from './endpoints/assets.js';
import { registerAuthorize } from './endpoints/authorize.js';
import { registerDiscovery } from './endpoints/discovery.js';
import { registerEndSession } from './endpoints/end-session.js';
import { registerHealth } from './endpoints/health.js';
import { registerIntrospect } from './endpoints/introspect.js';
import { registerJwks } from './endpoints/jwks.js';
import { registerRevoke } from './endpoints/revoke.js';
import { registerToken } from './endpoints/token.js';
import { registerUserinfo } from './endpoints/userinfo.js';
import { handleError, isPagePath } from './http/errors.js';
import { securityHeaders } from './http/security-headers.js';
import { registerInteractions } from './interactions/routes.js';
import { registerPasswordReset } from './password/routes.js';
import { errorPage } from './pages/layout.js';
import type { Services } from './services.js';
import { sendPage } from './http/respond.js';

/** The whole HTTP surface as a fetch handler: `app.request(...)` in tests, node-server in production. */
export function createApp(services: Services): Hono {
  const { config, logger } = services;
  const app = new Hono();
  app.use(securityHeaders(config));
  // While shutting down, each answer closes its connection, so keep-alive sockets do not hold
  // the process open until their idle timeout.
  app.use(async (c, next) => {
    await next();
    if (services.state.draining) c.header('Connection', 'close');
  });
  app.onError((error, c) => handleError(error, c, config, logger));
  app.notFound((c) => {
    if (isPagePath(c.req.path)) return sendPage(c, errorPage(config, 'Page not found', 'There is nothing at this address.'), 404);
    return c.json({ error: 'not_found', error_description: 'No such endpoint' }, 404);
  });

  registerHealth(app, services);
  registerDiscovery(app, services);
  registerJwks(app, services);
  registerAssets(app, services);
  registerAuthorize(app, services);
  registerInteractions(app, services);
  registerEndSession(app, services);
  registerAccount(app, services);
  registerPasswordReset(app, services);
  registerToken(app, services);
  registerUserinfo(app, services);
  registerRevoke(app, services);
  registerIntrospect(app, services);
  return app;
}

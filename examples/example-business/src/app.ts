import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetworkError } from '@gatehouse/client';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import session from 'express-session';
import type { ExampleConfig } from './config.js';
import { type AppDeps, createContext } from './context.js';
import { errorPage } from './pages.js';
import { authRoutes } from './routes/auth.js';
import { backchannelLogoutRoutes } from './routes/backchannel-logout.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { homeRoutes } from './routes/home.js';
import { myOrdersRoutes } from './routes/my-orders.js';
import { ordersApiRoutes } from './routes/orders-api.js';
import { sessionMiddleware } from './session.js';

export type { AppDeps } from './context.js';

const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public');

const securityHeaders: RequestHandler = (_req, res, next) => {
  // No inline script or style anywhere, so a strict policy costs nothing. form-action is left
  // open on purpose: the sign-out form's redirect goes on to Gatehouse.
  res.set('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
  res.set('X-Content-Type-Options', 'nosniff');
  // The callback URL carries the authorization code: never leak it in a Referer.
  res.set('Referrer-Policy', 'no-referrer');
  res.set('X-Frame-Options', 'DENY');
  next();
};

/** Pages that depend on who is signed in must not be cached by the browser or a proxy. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** The Express app: pages, sign-in routes, the user's orders, and the demo orders API. */
export function createExampleApp(config: ExampleConfig, deps: AppDeps = {}): express.Express {
  const ctx = createContext(config, deps);
  const app = express();
  app.disable('x-powered-by');
  const secure = config.appUrl.startsWith('https:');
  // An https app URL with a plain-http listener means a TLS-terminating proxy in front.
  if (secure) app.set('trust proxy', 1);

  app.use(securityHeaders);
  app.use('/static', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));
  app.use(ordersApiRoutes(ctx)); // bearer-token API: no session needed
  // The back-channel logout route ends sessions in the store: it needs the store, not a session.
  const store = deps.sessionStore ?? new session.MemoryStore();
  app.use(backchannelLogoutRoutes(ctx, store));
  app.use(sessionMiddleware({ secret: config.sessionSecret, secure, store }));
  app.use(noStore);
  app.use(homeRoutes());
  app.use(authRoutes(ctx));
  app.use(dashboardRoutes());
  app.use(myOrdersRoutes(ctx));

  app.use((req, res) => {
    if (req.path.startsWith('/api/')) return res.status(404).json({ error: 'not_found' });
    res.status(404).type('html').send(errorPage('Page not found', 'There is nothing at this address.'));
  });
  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const unreachable = error instanceof NetworkError;
    if (!unreachable) ctx.log(`unexpected error on ${req.method} ${req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (res.headersSent) return;
    const status = unreachable ? 503 : 500;
    if (req.path.startsWith('/api/') && !req.path.startsWith('/api/auth/')) {
      return res.status(status).json({ error: unreachable ? 'gatehouse_unreachable' : 'server_error' });
    }
    const [title, message] = unreachable
      ? ['Gatehouse is unreachable', 'We could not reach the sign-in service. Please try again in a moment.']
      : ['Something went wrong', 'Please try again. If it keeps happening, let us know.'];
    res.status(status).type('html').send(errorPage(title, message));
  };
  app.use(onError);
  return app;
}

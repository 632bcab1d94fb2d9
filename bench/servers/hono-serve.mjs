// How the reference servers listen: on 127.0.0.1:PORT with Gatehouse's server timeouts, and
// stopping on SIGTERM.
import { serve } from '@hono/node-server';

export function serveLikeGatehouse(app) {
  const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return server;
}

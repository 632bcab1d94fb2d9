import { type Server, createServer } from 'node:http';
import type { Hono } from 'hono';
import { issuerScope } from '../http/scope.js';
import { DEFAULT_ISSUER_ID } from '../issuers/ids.js';
import type { Metrics } from '../metrics.js';
import type { Services } from '../services.js';
import { listenConfigError } from '../startup-errors.js';

/** GET /metrics on the main port (GATEHOUSE_METRICS=on): the process's, so the default issuer's path only. */
export function registerMetrics(app: Hono, services: Services): void {
  if (services.config.metrics.mode !== 'main') return;
  services.metrics.exposeProcessMetrics();
  app.get('/metrics', async (c) => {
    if (issuerScope(c).id !== DEFAULT_ISSUER_ID) return c.notFound();
    const { body, contentType } = await services.metrics.exposition();
    c.header('Cache-Control', 'no-store');
    return c.body(body, 200, { 'Content-Type': contentType });
  });
}

/**
 * The metrics on a port of their own, on loopback only (GATEHOUSE_METRICS_PORT): a scraper on
 * the machine or a sidecar reads them, and nothing reaches them from outside.
 */
export async function startMetricsServer(metrics: Metrics, port: number): Promise<{ port: number; close(): Promise<void> }> {
  metrics.exposeProcessMetrics();
  const host = '127.0.0.1';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.exposition().then(
      ({ body, contentType }) =>
        response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(request.method === 'HEAD' ? undefined : body),
      () => response.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenConfigError(error, 'GATEHOUSE_METRICS_PORT', host, port) ?? error));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

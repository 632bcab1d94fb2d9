import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { startMetricsServer } from './endpoints/metrics.js';
import { listenConfigError } from './startup-errors.js';
import { describeError } from './log.js';
import { runMaintenance } from './maintenance.js';
import type { Services } from './services.js';

export interface RunningServer {
  url: string;
  port: number;
  /** The loopback port metrics are served on (GATEHOUSE_METRICS_PORT), when they have their own. */
  metricsPort: number | undefined;
  /** Graceful stop: readiness fails, in-flight requests finish, then the database closes. */
  close(): Promise<void>;
  /** Ends the drain of a close under way now (a second signal): the listener closes at once. */
  endDrain(): void;
}

const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;

export async function startServer(services: Services, options: { port: number; host: string }): Promise<RunningServer> {
  const app = createApp(services);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s as Server));
    s.once('error', (error) => reject(listenConfigError(error, 'PORT', options.host, options.port) ?? error));
  });
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  if (services.config.metrics.mode === 'port') {
    try {
      metricsServer = await startMetricsServer(services.metrics, services.config.metrics.port);
    } catch (error) {
      await new Promise((resolve) => server.close(resolve));
      throw error;
    }
  }
  // Slow clients cannot hold connections open for ever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  const maintain = (): void => {
    runMaintenance(services).catch((error: unknown) => services.logger.log('warn', 'maintenance_failed', describeError(error)));
  };
  maintain();
  const timer = setInterval(maintain, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  // Mail promised before a crash or a restart, and mail whose server deferred it, goes out now.
  services.outbox?.start();
  // Webhooks of events recorded by any instance, and their retries.
  services.webhooks.start();
  services.backchannel.start();

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  let closing: Promise<void> | undefined;
  let endDrain: (() => void) | undefined;
  let drainEnded = false;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    metricsPort: metricsServer?.port,
    close() {
      closing ??= (async () => {
        services.state.draining = true;
        clearInterval(timer);
        // Readiness fails first; the server keeps answering while load balancers notice.
        const drainMs = services.config.drainSeconds * 1000;
        if (drainMs > 0 && !drainEnded) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, drainMs);
            endDrain = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await metricsServer?.close();
        await services.close();
      })();
      return closing;
    },
    endDrain() {
      drainEnded = true;
      endDrain?.();
    },
  };
}

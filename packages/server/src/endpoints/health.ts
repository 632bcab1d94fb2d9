import type { Hono } from 'hono';
import { sql } from 'kysely';
import type { Services } from '../services.js';

const READY_TIMEOUT_MS = 2000;

export function registerHealth(app: Hono, services: Services): void {
  // Liveness: the process answers. It stays up while the database is down, so an orchestrator
  // does not restart instances that will recover by themselves.
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });

  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (services.state.draining) return c.json({ status: 'draining' }, 503);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(services.store.db),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database check timed out')), READY_TIMEOUT_MS);
        }),
      ]);
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'database unavailable' }, 503);
    } finally {
      clearTimeout(timer);
    }
  });
}

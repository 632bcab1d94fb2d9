import type pg from 'pg';
import { pgDriver } from './pg-module.js';
import { type Logger, describeError } from '../log.js';
import type { ClientCache } from './client-cache.js';

/** The channel migration 004's trigger notifies with a changed client's id ('*': all of them). */
export const CLIENT_CHANNEL = 'gatehouse_clients';

export interface ClientNotificationOptions {
  logger: Logger;
  /** First wait before reconnecting; doubles up to 30 s while PostgreSQL stays away. */
  retryMs?: number;
  /** How often the listening connection proves it is alive; a silent one turns the cache off. */
  heartbeatMs?: number;
}

export interface ClientNotifications {
  /** The listening connection's backend pid while it listens (tests end it to see the cache turn off). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

/**
 * Keeps one connection (outside the pool) listening for client changes and turns the cache on
 * only while it does. The connection must reach PostgreSQL directly or through a pooler in session
 * mode: in transaction mode a pooler accepts LISTEN and drops the notifications, which
 * CLIENT_CACHE_MAX_AGE_MS bounds but cannot prevent (set GATEHOUSE_CLIENT_CACHE=off there).
 */
export function listenForClientChanges(url: string, cache: ClientCache, options: ClientNotificationOptions): ClientNotifications {
  const retryMs = options.retryMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  let closed = false;
  let current: pg.Client | undefined;
  let pid: number | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let wait = retryMs;
  let reported = false;

  const down = (client: pg.Client, error?: unknown): void => {
    if (current !== client) return;
    current = undefined;
    pid = undefined;
    clearInterval(heartbeat);
    cache.setLive(false);
    client.end().catch(() => {});
    if (closed) return;
    // Once per outage (or failed start): clients are read from the database until it listens again.
    if (!reported) options.logger.log('warn', 'client_cache_off', error ? describeError(error) : {});
    reported = true;
    retry = setTimeout(connect, wait);
    retry.unref();
    wait = Math.min(wait * 2, 30_000);
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const client = new (pgDriver().Client)({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5000 });
    current = client;
    client.on('error', (error) => down(client, error));
    client.on('end', () => down(client));
    client.on('notification', (message) => {
      if (message.channel !== CLIENT_CHANNEL) return;
      if (!message.payload || message.payload === '*') cache.forgetAll();
      else cache.forget(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CLIENT_CHANNEL}`);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (closed || current !== client) return void client.end().catch(() => {});
      pid = rows[0]?.pid;
      cache.setLive(true);
      wait = retryMs;
      reported = false;
      options.logger.log('info', 'client_cache_on', {});
      heartbeat = setInterval(() => {
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer in 5 s')), 5000).unref());
        Promise.race([client.query('SELECT 1'), timeout]).catch((error: unknown) => down(client, error));
      }, heartbeatMs);
      heartbeat.unref();
    } catch (error) {
      down(client, error);
    }
  };

  void connect();
  return {
    get pid() {
      return pid;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const client = current;
      current = undefined;
      pid = undefined;
      cache.setLive(false);
      await client?.end().catch(() => {});
    },
  };
}

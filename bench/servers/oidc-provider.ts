/** oidc-provider launcher: oidc-provider-app.mjs as its own plain-node process (no loader). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMb } from '../lib/metrics.js';
import { freshPostgres, postgresHooks } from '../lib/postgres.js';
import { freePort, spawnRepeatedly, spawnServer } from '../lib/spawn.js';
import { ID_TOKEN_ALG, REDIRECT_URI, type Target, benchUsers, discover, sleep } from '../lib/target.js';

const LABELS = { memory: 'oidc-provider (in-memory)', sqlite: 'oidc-provider (SQLite adapter)', postgres: 'oidc-provider (PostgreSQL adapter)' };
const STORAGE = {
  memory: 'default in-memory adapter (LRU of 1,000 entries): persists nothing',
  sqlite: 'SQLite file via bench/servers/oidc-sqlite-adapter.mjs (WAL, synchronous=FULL)',
  postgres: 'PostgreSQL (fresh database) via bench/servers/oidc-postgres-adapter.mjs',
};
const APP = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oidc-provider-app.mjs');

export async function startOidcProvider(adapter: 'memory' | 'sqlite' | 'postgres', postgresUrl?: string): Promise<Target> {
  const database = adapter === 'postgres' && postgresUrl ? await freshPostgres(postgresUrl) : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-provider-bench-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const users = benchUsers();
  const clientId = 'bench';
  const clientSecret = crypto.randomBytes(32).toString('base64url');
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    ISSUER: origin,
    CLIENT_ID: clientId,
    CLIENT_SECRET: clientSecret,
    REDIRECT_URI,
    ID_TOKEN_ALG,
    BENCH_USERS: JSON.stringify(users),
    ADAPTER: adapter,
    DB_FILE: path.join(dataDir, 'oidc-provider.db'),
    ...(database ? { DATABASE_URL: database.url } : {}),
  };
  const cleanup = async (): Promise<void> => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  try {
    const first = await spawnServer(process.execPath, [APP], env, `${origin}/readyz`);
    await first.stop();
    const server = await spawnRepeatedly(3, process.execPath, [APP], env, `${origin}/readyz`);
    try {
      await sleep(2000);
      const idleRssMb = rssMb(server.pid);
      return {
        label: LABELS[adapter],
        product: 'oidc-provider',
        storage: STORAGE[adapter],
        ...(database ? postgresHooks(database) : {}),
        origin,
        pid: server.pid,
        clientId,
        clientSecret,
        redirectUri: REDIRECT_URI,
        users,
        readyFirstMs: first.readyMs,
        readyRestartMs: server.readyMs,
        idleRssMb,
        endpoints: await discover(origin),
        stop: async () => {
          await server.stop();
          await cleanup();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}

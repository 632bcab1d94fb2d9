/** oidc-provider launcher: oidc-provider-app.mjs as its own plain-node process (no loader). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMb } from '../lib/metrics.js';
import { freePort, spawnRepeatedly, spawnServer } from '../lib/spawn.js';
import { ID_TOKEN_ALG, REDIRECT_URI, type Target, benchUsers, discover, sleep } from '../lib/target.js';

const APP = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oidc-provider-app.mjs');

export async function startOidcProvider(adapter: 'memory' | 'sqlite'): Promise<Target> {
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
  };
  const cleanup = (): void => fs.rmSync(dataDir, { recursive: true, force: true });
  try {
    const first = await spawnServer(process.execPath, [APP], env, `${origin}/readyz`);
    await first.stop();
    const server = await spawnRepeatedly(3, process.execPath, [APP], env, `${origin}/readyz`);
    try {
      await sleep(2000);
      const idleRssMb = rssMb(server.pid);
      return {
        label: adapter === 'sqlite' ? 'oidc-provider (SQLite adapter)' : 'oidc-provider (in-memory)',
        product: 'oidc-provider',
        storage: adapter === 'sqlite'
          ? 'SQLite file via bench/servers/oidc-sqlite-adapter.mjs (WAL, synchronous=FULL)'
          : 'default in-memory adapter (LRU of 1,000 entries): persists nothing',
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
          cleanup();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    cleanup();
    throw error;
  }
}

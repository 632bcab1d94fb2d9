/**
 * Gatehouse launcher: `node packages/server/bin/gatehouse.js serve` as its own process, on a
 * fresh SQLite file or a fresh PostgreSQL database, seeded through the CLI like an operator would.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMb } from '../lib/metrics.js';
import { freshPostgres, postgresHooks } from '../lib/postgres.js';
import { freePort, spawnRepeatedly, spawnServer } from '../lib/spawn.js';
import { CLIENT_SCOPES, ID_TOKEN_ALG, REDIRECT_URI, SECRET, type Target, benchUsers, discover, sleep } from '../lib/target.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'packages', 'server', 'bin', 'gatehouse.js');

function cli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`gatehouse ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(input ?? '');
  });
}

export interface GatehouseOptions {
  postgresUrl?: string;
  /** Registers a webhook endpoint for these events at `url` before the server starts (bench/revocation-latency.ts). */
  webhook?: { url: string; events: string };
}

export async function startGatehouse(options: GatehouseOptions = {}): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const database = options.postgresUrl ? await freshPostgres(options.postgresUrl) : undefined;
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')));
  Object.assign(env, {
    PORT: String(port),
    GATEHOUSE_HOST: '127.0.0.1',
    GATEHOUSE_ISSUER: origin,
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_SECRET: SECRET,
    ...(database ? { GATEHOUSE_DATABASE_URL: database.url } : {}),
    // The server's own log level (default info: one line per request), to measure what logging costs.
    ...(process.env.BENCH_LOG_LEVEL ? { GATEHOUSE_LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}),
    // A webhook receiver of the bench's own runs on loopback, which Gatehouse refuses unless allowed.
    ...(options.webhook ? { GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: new URL(options.webhook.url).hostname } : {}),
  });
  const cleanup = async (): Promise<void> => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  try {
    // The bin rebuilds its bundle when a source is newer; do that now, not inside the timed start.
    await cli(['--help'], env);
    const first = await spawnServer(process.execPath, [BIN, 'serve'], env, `${origin}/readyz`);
    await first.stop();

    const client = JSON.parse(
      await cli(
        [
          'client',
          'create',
          '--name',
          'Bench',
          '--redirect-uri',
          REDIRECT_URI,
          '--scope',
          CLIENT_SCOPES,
          '--grant-types',
          'authorization_code,refresh_token,client_credentials',
          '--first-party',
          '--id-token-alg',
          ID_TOKEN_ALG,
          '--json',
        ],
        env,
      ),
    ) as { client_id: string; client_secret: string };
    const users = benchUsers();
    for (let i = 0; i < users.length; i += 2) {
      await Promise.all(
        users.slice(i, i + 2).map((u) => cli(['user', 'create', '--email', u.email, '--name', u.name, '--password-stdin', '--json'], env, `${u.password}\n`)),
      );
    }

    const webhook = options.webhook
      ? (JSON.parse(await cli(['webhook', 'create', '--url', options.webhook.url, '--events', options.webhook.events, '--json'], env)) as { secret: string })
      : undefined;

    const server = await spawnRepeatedly(3, process.execPath, [BIN, 'serve'], env, `${origin}/readyz`);
    try {
      await sleep(2000);
      const idleRssMb = rssMb(server.pid);
      return {
        label: database ? 'Gatehouse (PostgreSQL)' : 'Gatehouse (SQLite)',
        product: 'gatehouse',
        storage: database ? 'PostgreSQL (fresh database)' : 'SQLite file (WAL; every write is fsynced before its answer)',
        origin,
        pid: server.pid,
        clientId: client.client_id,
        clientSecret: client.client_secret,
        redirectUri: REDIRECT_URI,
        users,
        readyFirstMs: first.readyMs,
        readyRestartMs: server.readyMs,
        idleRssMb,
        ...(database ? postgresHooks(database) : {}),
        endpoints: await discover(origin),
        ...(webhook ? { webhookSecret: webhook.secret } : {}),
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

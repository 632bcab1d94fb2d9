/**
 * What a thousand issuers cost: `gatehouse serve` on a SQLite file with only the default issuer,
 * then on one with 1,000 issuers, its resident memory idle (after start-up) and after every
 * issuer's discovery document and JWKS were asked for (the scope cache is bounded, so memory
 * must stay bounded too). Loopback only; bounded in time. Prints a markdown table.
 *
 *   npx tsx bench/issuers-memory.ts              # 1,000 issuers
 *   BENCH_ISSUERS=5000 npx tsx bench/issuers-memory.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../packages/server/src/config.js';
import { silentLogger } from '../packages/server/src/log.js';
import { createServices } from '../packages/server/src/services.js';
import { rssMb } from './lib/metrics.js';
import { freePort, spawnServer } from './lib/spawn.js';
import { SECRET, sleep } from './lib/target.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages', 'server', 'bin', 'gatehouse.js');
const ISSUERS = Number(process.env.BENCH_ISSUERS ?? 1000);

interface Reading {
  issuers: number;
  idle: number;
  touched: number;
  discoveryMs: number;
}

/** Median of a few RSS samples a second apart, once the process has settled. */
async function settledRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(1000);
    samples.push(rssMb(pid));
  }
  return samples.sort((a, b) => a - b)[2] as number;
}

async function measure(issuers: number): Promise<Reading> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-issuers-bench-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')));
  Object.assign(env, { PORT: String(port), GATEHOUSE_HOST: '127.0.0.1', GATEHOUSE_ISSUER: origin, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_SECRET: SECRET });
  try {
    // The issuers are rows like `gatehouse issuer create` writes; their keys are made on first use.
    const services = await createServices(loadConfig(env), { logger: silentLogger });
    for (let i = 1; i < issuers; i++) await services.scopes.issuers.create({ id: `tenant-${i}`, name: `Tenant ${i}` });
    await services.close();
    const server = await spawnServer(process.execPath, [BIN, 'serve'], env, `${origin}/readyz`);
    try {
      const idle = await settledRss(server.pid);
      const started = performance.now();
      for (let i = 0; i < issuers; i++) {
        const base = i === 0 ? origin : `${origin}/tenant-${i}`;
        const discovery = await fetch(`${base}/.well-known/openid-configuration`);
        if (discovery.status !== 200) throw new Error(`discovery of ${base}: ${discovery.status}`);
        await discovery.arrayBuffer();
        await (await fetch(`${base}/.well-known/jwks.json`)).arrayBuffer();
      }
      const discoveryMs = (performance.now() - started) / issuers;
      const touched = await settledRss(server.pid);
      return { issuers, idle, touched, discoveryMs };
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const one = await measure(1);
const many = await measure(ISSUERS);
const row = (r: Reading): string =>
  `| ${r.issuers.toLocaleString('en')} | ${r.idle.toFixed(1)} MB | ${r.touched.toFixed(1)} MB | ${r.discoveryMs.toFixed(2)} ms |`;
console.log(`| issuers | idle RSS | RSS after discovery + JWKS of every issuer | per issuer, both documents, first time |
|---:|---:|---:|---:|
${row(one)}
${row(many)}

Idle RSS with ${ISSUERS.toLocaleString('en')} issuers ÷ with one: ${(many.idle / one.idle).toFixed(2)}× (bar: ≤ 1.25×).
After every issuer was used: ${(many.touched / one.touched).toFixed(2)}× (the scope cache keeps at most 512 issuers).`);

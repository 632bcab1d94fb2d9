/**
 * Refresh latency on an empty database vs. one holding 1,000,000 refresh tokens (and as many
 * grants and access-token revocations): every hot-path query must be indexed, so the ratio stays
 * near 1. Runs in-process against the real app, so it measures handler + database, not HTTP.
 *
 *   npx tsx bench/refresh-at-scale.ts                 # SQLite (a temp file)
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/refresh-at-scale.ts
 *   BENCH_ROWS=200000 …                               # fewer rows for a quick look
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../packages/server/src/app.js';
import { hashPassword } from '../packages/server/src/auth/password.js';
import { loadConfig } from '../packages/server/src/config.js';
import { silentLogger } from '../packages/server/src/log.js';
import { createServices } from '../packages/server/src/services.js';
import { openStore } from '../packages/server/src/store/db.js';
import { pkcePair } from '../packages/server/test/helpers/pkce.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const REDIRECT = 'https://example-business.com/cb';

async function openBenchStore(): Promise<{ url: string; cleanup(): Promise<void>; schema?: string }> {
  const pgUrl = process.env.BENCH_DATABASE_URL;
  if (pgUrl) {
    const schema = `bench_${process.pid}`;
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    return {
      url: pgUrl,
      schema,
      cleanup: async () => {
        const d = new pg.Client({ connectionString: pgUrl });
        await d.connect();
        await d.query(`drop schema ${schema} cascade`);
        await d.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-'));
  return { url: `sqlite:${path.join(dir, 'bench.db')}`, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const target = await openBenchStore();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-data-'));
  const config = loadConfig({
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_SECRET: 'bench-secret-bench-secret-bench-secret-123',
    GATEHOUSE_DATABASE_URL: target.url,
  });
  const store = openStore(target.url, target.schema ? { schema: target.schema } : {});
  const services = await createServices(config, { store, logger: silentLogger });
  const app = createApp(services);
  const { repos } = await services.scopes.defaultScope();
  const { client, secret } = await repos.clients.create({
    name: 'bench',
    redirectUris: [REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile'],
    isPublic: false,
    firstParty: true,
  });
  const user = await repos.users.create({ email: 'bench@example.com', passwordHash: await hashPassword('bench-password') });
  const auth = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
  const post = async (body: Record<string, string>): Promise<{ status: number; json: Record<string, string> }> => {
    const res = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
      body: new URLSearchParams(body).toString(),
    });
    return { status: res.status, json: (await res.json()) as Record<string, string> };
  };

  let refreshToken = '';
  {
    const { verifier, challenge } = pkcePair();
    const code = await repos.codes.create(
      {
        clientId: client.id,
        userId: user.id,
        redirectUri: REDIRECT,
        codeChallenge: challenge,
        scope: 'openid profile',
        nonce: null,
        sid: null,
        authTime: services.clock(),
        resource: null,
      },
      60,
    );
    const res = await post({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    if (res.status !== 200) throw new Error(`exchange failed: ${JSON.stringify(res.json)}`);
    refreshToken = res.json.refresh_token as string;
  }

  const measure = async (): Promise<{ p50: number; p99: number; mean: number }> => {
    const times: number[] = [];
    for (let i = 0; i < SAMPLES + 100; i++) {
      const start = performance.now();
      const res = await post({ grant_type: 'refresh_token', refresh_token: refreshToken });
      const elapsed = performance.now() - start;
      if (res.status !== 200) throw new Error(`refresh failed: ${JSON.stringify(res.json)}`);
      refreshToken = res.json.refresh_token as string;
      if (i >= 100) times.push(elapsed); // the first 100 warm up caches and the JIT
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99), mean: times.reduce((a, b) => a + b, 0) / times.length };
  };

  const empty = await measure();

  const fillStart = performance.now();
  const db = services.store.db;
  const now = services.clock();
  const seq =
    services.store.backend === 'postgres'
      ? sql`select generate_series(1, ${ROWS}) as n`
      : sql`with recursive s(n) as (select 1 union all select n + 1 from s where n < ${ROWS}) select n from s`;
  await sql`insert into grants (id, client_id, user_id, scope, sid, auth_time, resource, created_at, expires_at, revoked_at)
    select 'g' || n, ${client.id}, ${user.id}, 'openid profile', null, ${now}, null, ${now}, ${now + 86400 * 30}, null from (${seq}) as seq`.execute(db);
  await sql`insert into refresh_tokens (id, grant_id, client_id, secret_hash, created_at, expires_at, consumed_at)
    select 'r' || n, 'g' || n, ${client.id}, 'h' || n, ${now}, ${now + 86400 * 30}, case when n % 2 = 0 then cast(${now} as bigint) else null end from (${seq}) as seq`.execute(
    db,
  );
  await sql`insert into access_token_revocations (jti, expires_at, revoked_at)
    select 'a' || n, ${now + 900}, ${now} from (${seq}) as seq`.execute(db);
  await sql`analyze`.execute(db);
  const fillSeconds = (performance.now() - fillStart) / 1000;

  const full = await measure();
  const ratio = full.p50 / empty.p50;
  const f = (n: number): string => n.toFixed(3);
  console.log(
    `\n### Refresh latency, empty vs ${ROWS.toLocaleString('en-US')} stored refresh tokens (${services.store.backend}, in-process, ${SAMPLES} sequential refreshes)\n`,
  );
  console.log('| database | p50 ms | p99 ms | mean ms |');
  console.log('|---|---:|---:|---:|');
  console.log(`| empty | ${f(empty.p50)} | ${f(empty.p99)} | ${f(empty.mean)} |`);
  console.log(`| ${ROWS.toLocaleString('en-US')} refresh tokens, grants and access-token revocations | ${f(full.p50)} | ${f(full.p99)} | ${f(full.mean)} |`);
  console.log(`\np50 ratio: ${ratio.toFixed(2)}× (bar: ≤ 1.5×); filling took ${fillSeconds.toFixed(1)} s`);

  await services.close();
  await target.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (ratio > 1.5) {
    console.error('FAIL: refresh latency grew more than 1.5× with a large table');
    process.exitCode = 1;
  }
}

await main();

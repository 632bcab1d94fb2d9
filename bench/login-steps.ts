/**
 * CPU per request of a password login, one login at a time: `npx tsx bench/login-steps.ts
 * [logins] [gatehouse|gatehouse-postgres|oidc-provider]` (gatehouse-postgres on a fresh database
 * of the server BENCH_DATABASE_URL names). For each request of the flow it prints the server's
 * event-loop thread CPU and its CPU on all threads (argon2 on the hashing threads, fsync on
 * libuv's pool), and on PostgreSQL its backends' CPU, read from /proc/<pid>/schedstat around
 * the request; a client-credentials grant is measured the same way for scale. One request at a time, so nothing else runs on the server:
 * the figures say where a login's CPU goes, not how many logins a second fit (that is `npm run bench`).
 */
import fs from 'node:fs';
import type { Dispatcher } from 'undici';
import { authorizationCodeFlow, pool, tokenRequest } from './lib/flow.js';
import { CLIENT_SCOPES, type Target } from './lib/target.js';
import { startGatehouse } from './servers/gatehouse.js';
import { startOidcProvider } from './servers/oidc-provider.js';

const logins = Number(process.argv[2] ?? 300);
const product = process.argv[3] ?? 'gatehouse';
const WARM_UP = 100;

/** Nanoseconds a thread of `pid` has run. */
function ranNs(pid: number, tid: string | number): number {
  return Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
}

function allThreadsNs(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + ranNs(pid, tid), 0);
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/** What a request is: method, path without ids, the grant type of a token request, status. */
function stepName(options: Dispatcher.RequestOptions, status: number): string {
  const path = String(options.path)
    .split('?')[0]!
    .replace(/[A-Za-z0-9_-]{20,}/g, ':id');
  const grant = typeof options.body === 'string' ? /grant_type=([a-z_]+)/.exec(options.body)?.[1] : undefined;
  return `${options.method} ${path}${grant ? ` (${grant})` : ''} → ${status}`;
}

async function start(): Promise<Target> {
  if (product === 'gatehouse') return startGatehouse();
  if (product === 'oidc-provider') return startOidcProvider('memory');
  const postgresUrl = process.env.BENCH_DATABASE_URL;
  if (product !== 'gatehouse-postgres' || !postgresUrl)
    throw new Error('usage: login-steps.ts [logins] [gatehouse|oidc-provider|gatehouse-postgres (with BENCH_DATABASE_URL)]');
  return startGatehouse({ postgresUrl });
}

const t = await start();
const databaseNs = t.databaseNs ?? ((): number => 0);
const steps = new Map<string, { loop: number; all: number; db: number; n: number }>();
const p = pool(t, 1);
let measuring = false;
const request = p.request.bind(p);
// Every request of the flow goes through here: CPU is read before it is sent and after its
// body is read and the server has had a moment to finish (logging, fsync callbacks).
(p as unknown as { request: typeof request }).request = (async (options: Dispatcher.RequestOptions) => {
  await settle();
  const loop0 = ranNs(t.pid, t.pid);
  const all0 = allThreadsNs(t.pid);
  const db0 = databaseNs();
  const res = await request(options);
  const text = await res.body.text();
  await settle();
  if (measuring) {
    const step = steps.get(stepName(options, res.statusCode)) ?? { loop: 0, all: 0, db: 0, n: 0 };
    step.loop += ranNs(t.pid, t.pid) - loop0;
    step.all += allThreadsNs(t.pid) - all0;
    step.db += databaseNs() - db0;
    step.n++;
    steps.set(stepName(options, res.statusCode), step);
  }
  return { ...res, body: { text: async () => text } };
}) as unknown as typeof request;

try {
  for (let i = 0; i < WARM_UP; i++) await authorizationCodeFlow(p, t, t.users[i % t.users.length]!, CLIENT_SCOPES);
  measuring = true;
  for (let i = 0; i < logins; i++) {
    await authorizationCodeFlow(p, t, t.users[i % t.users.length]!, CLIENT_SCOPES);
    await tokenRequest(p, t, { grant_type: 'client_credentials', scope: 'api' });
  }
  const ms = (ns: number, n: number): string => (ns / n / 1e6).toFixed(3);
  console.log(`${t.label}, ${logins} logins one at a time (after ${WARM_UP} unmeasured)\n`);
  const db = t.databaseNs !== undefined;
  console.log(`| request | event loop CPU ms | all threads CPU ms |${db ? ' PostgreSQL backends CPU ms |' : ''}\n| --- | --- | --- |${db ? ' --- |' : ''}`);
  const total = { loop: 0, all: 0, db: 0 };
  const row = (name: string, s: { loop: number; all: number; db: number }, n: number): string =>
    `| ${name} | ${ms(s.loop, n)} | ${ms(s.all, n)} |${db ? ` ${ms(s.db, n)} |` : ''}`;
  for (const [name, s] of steps) {
    console.log(row(name, s, s.n));
    if (!name.includes('client_credentials')) {
      total.loop += s.loop;
      total.all += s.all;
      total.db += s.db;
    }
  }
  console.log(row('**one login**', total, logins));
} finally {
  await p.close();
  await t.stop();
}

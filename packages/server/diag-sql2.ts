import Database from 'better-sqlite3';
import { hash } from '@node-rs/argon2';
import { signInForTokens } from './test/helpers/flow.js';
import { createTestClient, createTestContext, createTestUser } from './test/helpers/harness.js';
const proto = (Database as any).prototype;
const origPrepare = proto.prepare;
const stats = new Map<string, { n: number; t: number }>();
let on = false;
proto.prepare = function (sql: string) {
  const st = origPrepare.call(this, sql);
  for (const fn of ['run', 'all', 'get']) {
    const o = st[fn];
    st[fn] = function (...a: unknown[]) { const s = performance.now(); try { return o.apply(st, a); } finally { if (on) { const k = sql.slice(0, 70); const e = stats.get(k) ?? { n: 0, t: 0 }; e.n++; e.t += performance.now() - s; stats.set(k, e); } } };
  }
  return st;
};
const ctx = await createTestContext({}, { store: { syncWal: async () => {} } });
const { client, secret } = await createTestClient(ctx, { firstParty: true });
const user = await createTestUser(ctx);
const { TEST_PASSWORD } = await import('./test/helpers/harness.js') as any;
await (ctx.services as any).store.db.updateTable('users').set({ password_hash: await hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 8, timeCost: 1, parallelism: 1 }) }).execute();
for (let i = 0; i < 200; i++) await signInForTokens(ctx, { id: client.id, secret }, user.email, { scope: 'openid' });
on = true;
const N = 2000;
const t0 = performance.now();
for (let i = 0; i < N; i++) await signInForTokens(ctx, { id: client.id, secret }, user.email, { scope: 'openid' });
const total = performance.now() - t0;
on = false;
let sum = 0;
for (const [k, e] of [...stats].sort((a, b) => b[1].t - a[1].t)) { sum += e.t; console.log((1000 * e.t / N).toFixed(1).padStart(7), 'µs/login', (e.n / N).toFixed(1), 'x', k); }
console.log('sqlite total µs/login', (1000 * sum / N).toFixed(0), 'whole login in-process µs', (1000 * total / N).toFixed(0));
await ctx.close();

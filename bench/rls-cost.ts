/**
 * What PostgreSQL row-level security would cost Gatehouse as a backstop to its per-issuer
 * queries (docs/issuers.md): a token-endpoint-like primary-key read, as Gatehouse runs it (one
 * statement, `issuer_id` in the WHERE), beside the same read under an RLS policy keyed by a
 * transaction setting, which needs the issuer set first (set_config in the same round trip, or
 * BEGIN; SET LOCAL; …; COMMIT). Loopback only; bounded.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/rls-cost.ts
 */
import pg from 'pg';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(process.env.BENCH_RLS_QUERIES ?? 4000);
const schema = `rls_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`create schema ${schema}`);
await admin.query(`create role rls_bench_${process.pid} nologin`);
await admin.query(`grant usage on schema ${schema} to rls_bench_${process.pid}`);
try {
  await admin.query(`create table ${schema}.grants (id text primary key, issuer_id text not null, scope text not null)`);
  await admin.query(`insert into ${schema}.grants select 'g' || i, 'issuer-' || (i % 100), 'openid' from generate_series(1, 100000) i`);
  await admin.query(`alter table ${schema}.grants enable row level security`);
  await admin.query(`create policy by_issuer on ${schema}.grants using (issuer_id = current_setting('gatehouse.issuer', true))`);
  await admin.query(`grant select on ${schema}.grants to rls_bench_${process.pid}`);
  await admin.query(`analyze ${schema}.grants`);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const time = async (label: string, run: (i: number) => Promise<unknown>): Promise<[string, number]> => {
    for (let i = 0; i < 200; i++) await run(i);
    const started = performance.now();
    for (let i = 0; i < N; i++) await run(i);
    return [label, ((performance.now() - started) * 1000) / N];
  };
  const id = (i: number): string => `g${(i % 100000) + 1}`;
  const issuer = (i: number): string => `issuer-${((i % 100000) + 1) % 100}`;
  const rows: [string, number][] = [];
  rows.push(
    await time('WHERE id = $1 AND issuer_id = $2 (Gatehouse today)', (i) =>
      client.query({ name: 'a', text: `select id, scope from ${schema}.grants where id = $1 and issuer_id = $2`, values: [id(i), issuer(i)] }),
    ),
  );
  await client.query(`set role rls_bench_${process.pid}`);
  rows.push(
    await time('RLS, set_config in the same statement', (i) =>
      client.query({
        name: 'b',
        text: `select id, scope from ${schema}.grants, (select set_config('gatehouse.issuer', $2, true)) s where id = $1`,
        values: [id(i), issuer(i)],
      }),
    ),
  );
  rows.push(
    await time('RLS, BEGIN; SET LOCAL; query; COMMIT', async (i) => {
      await client.query('begin');
      await client.query({ name: 'c1', text: `select set_config('gatehouse.issuer', $1, true)`, values: [issuer(i)] });
      await client.query({ name: 'c2', text: `select id, scope from ${schema}.grants where id = $1`, values: [id(i)] });
      await client.query('commit');
    }),
  );
  await client.query('reset role');
  await client.end();
  console.log('| statement | µs per read, one connection |\n|---|---:|');
  for (const [label, us] of rows) console.log(`| ${label} | ${us.toFixed(0)} |`);
} finally {
  await admin.query(`drop schema ${schema} cascade`);
  await admin.query(`drop role rls_bench_${process.pid}`);
  await admin.end();
}

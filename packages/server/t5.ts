import { CompiledQuery } from 'kysely';
import { openStore } from './src/store/db.js';
import { migrate } from './src/store/migrate.js';
import { CLIENT_COLUMNS } from './src/store/columns.js';
const store = await openStore('sqlite:/tmp/t5.db');
await migrate(store.db);
const db = store.db;
const N = 20000;
const build = (id: string) => db.selectFrom('clients').select(CLIENT_COLUMNS).where('id', '=', id);
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  for (let i = 0; i < N; i++) await build('abc' + (i % 10)).executeTakeFirst();
  const a = (performance.now() - t) / N * 1000;
  t = performance.now();
  for (let i = 0; i < N; i++) build('abc' + (i % 10)).compile();
  const b = (performance.now() - t) / N * 1000;
  const compiled = build('x').compile();
  t = performance.now();
  for (let i = 0; i < N; i++) await db.executeQuery(CompiledQuery.raw(compiled.sql, ['abc' + (i % 10)]));
  const c = (performance.now() - t) / N * 1000;
  console.log(`kysely full ${a.toFixed(1)} µs, build+compile only ${b.toFixed(1)} µs, executeQuery(compiled) ${c.toFixed(1)} µs`);
}

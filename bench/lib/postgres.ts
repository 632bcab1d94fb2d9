/** A fresh PostgreSQL database per server under test, and a checkpoint between rows. */
import pg from 'pg';
import { postgresCpuSeconds, postgresRanNs } from './metrics.js';
import type { Target } from './target.js';

/** A fresh database on the PostgreSQL server of `baseUrl`, dropped by the returned function. */
export async function freshPostgres(baseUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `gatehouse_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Writes PostgreSQL's dirty pages now (best effort: CHECKPOINT needs a privileged role). */
export async function checkpoint(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    await c.query('checkpoint');
  } catch {
    /* not allowed or not reachable: the next row may then see the background writer */
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** What a target on a fresh database adds: its backends' CPU, and a checkpoint after each row. */
export function postgresHooks(database: { url: string; name: string }): Pick<Target, 'databaseCpuS' | 'databaseNs' | 'settle'> {
  return { databaseCpuS: () => postgresCpuSeconds(database.name), databaseNs: () => postgresRanNs(database.name), settle: () => checkpoint(database.url) };
}

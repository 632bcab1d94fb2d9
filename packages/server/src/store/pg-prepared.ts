import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

const NAMES_KEPT = 512;

/**
 * PostgreSQL parses and plans every unnamed statement anew; the hot paths run the same few dozen
 * statements, so they are sent as named prepared statements (node-pg prepares each name once per
 * connection), which takes that work off the database on every later call.
 *
 * Statements with `*` are left unnamed: their result shape changes when a migration adds a
 * column, and PostgreSQL refuses to run a cached plan whose result type changed. Explicit column
 * lists are re-planned by PostgreSQL itself after DDL. Should a prepared statement still fail that
 * way (a column's type changed under a running instance), that connection is discarded rather
 * than returned to the pool, so the next request prepares afresh.
 */
export function preparedStatementPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameFor = (text: string): string | undefined => {
    if (text.includes('*')) return undefined;
    let name = names.get(text);
    if (!name) {
      name = `gh_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
      if (names.size < NAMES_KEPT) names.set(text, name);
    }
    return name;
  };
  return {
    end: () => pool.end(),
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let broken = false;
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(sql: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
        if (typeof sql !== 'string') return client.query(sql as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
        const name = nameFor(sql);
        const config: pg.QueryConfig = { text: sql, values: [...(parameters ?? [])] };
        if (name) config.name = name;
        return (client.query(config) as unknown as Promise<PostgresQueryResult<R>>).catch((error: unknown) => {
          if (name && (error as { code?: string }).code === '0A000') broken = true;
          throw error;
        });
      }
      return {
        query,
        release: () => client.release(broken ? new Error('a prepared statement no longer matches the schema') : undefined),
      };
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDialectConfig } from 'kysely';
import pg from 'pg';
import { CurrentSchemaPostgresDialect } from './postgres-introspector.js';
import type { Database } from './schema.js';

export type Backend = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  backend: Backend;
  close(): Promise<void>;
}

// int8 columns hold Unix seconds, well inside Number's exact range.
pg.types.setTypeParser(20, (value: string) => Number.parseInt(value, 10));

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every statement anew; the hot paths run the same few dozen statements, and
 * preparing is a third of each one's cost, so prepared statements are kept (bounded: SQL with
 * varying IN lists would otherwise grow it without end).
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] & object {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (cache.size < STATEMENT_CACHE_SIZE) cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before Gatehouse answers, so nothing acknowledged is lost.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // The CLI may write while the server runs; wait for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, backend: 'sqlite', close: () => db.destroy() };
}

export interface PostgresOptions {
  /** Schema to work in (tests use one schema each); defaults to the server's search_path. */
  schema?: string;
  max?: number;
}

function openPostgres(url: string, options: PostgresOptions): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener Node
  // would crash. The next query reconnects, so there is nothing more to do here.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return { db, backend: 'postgres', close: () => db.destroy() };
}

/** Opens the database named by a GATEHOUSE_DATABASE_URL value (see config.ts). */
export function openStore(databaseUrl: string, options: PostgresOptions = {}): Store {
  if (databaseUrl.startsWith('sqlite:')) return openSqlite(databaseUrl.slice('sqlite:'.length));
  return openPostgres(databaseUrl, options);
}

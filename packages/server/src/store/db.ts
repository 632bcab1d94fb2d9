import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDialectConfig } from 'kysely';
import { DurableSqliteDialect, type WriteFlag } from './durable-sqlite.js';
import { pgDriver } from './pg-module.js';
import { preparedStatementPool } from './pg-prepared.js';
import { createPrivateFile } from './private-file.js';
import { CurrentSchemaPostgresDialect } from './postgres-introspector.js';
import { WalSync } from './wal-sync.js';
import type { Database } from './schema.js';

export type Backend = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  backend: Backend;
  /**
   * SQLite files: a number that changes whenever another connection (the CLI, another process)
   * has committed to the database since the last call (PRAGMA data_version); this store's own
   * commits do not change it.
   */
  dataVersion?: () => number;
  /** PostgreSQL: the connection pool's counts, for metrics. */
  pool?: { total(): number; idle(): number; waiting(): number };
  close(): Promise<void>;
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Writes whose answer does not wait for the WAL fsync: the sign-in and reset throttles'
 * counters and known addresses (auth/throttle.ts), written around every password check. A
 * crash can lose only those not yet synced by the next durable commit, which gives a guesser
 * back a few attempts or an owner an address to sign in from once more; the sign-in's own
 * commit still waits, so a sign-in POST syncs once, as before the throttle reserved attempts.
 */
const THROTTLE_BOOKKEEPING = /^(insert into|update) "(rate_limits|known_login_addresses)" /;

/**
 * Kysely prepares every statement anew; the hot paths run the same few dozen statements, and
 * preparing is a third of each one's cost, so prepared statements are kept (bounded: SQL with
 * varying IN lists would otherwise grow it without end).
 */
function withStatementCache(sqlite: SqliteDatabase.Database, flag: WriteFlag): SqliteDialectConfig['database'] & object {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (cache.size < STATEMENT_CACHE_SIZE) cache.set(sql, statement);
      }
      if (!statement.readonly && !THROTTLE_BOOKKEEPING.test(sql)) flag.wrote = true;
      return statement;
    },
  };
}

function openSqlite(file: string, options: StoreOptions): Store {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    createPrivateFile(file);
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL: a commit does not wait for the disk on the event loop; WalSync fsyncs the WAL on the
  // thread pool and every writer waits for that before answering (durability of FULL, shared).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // The CLI may write while the server runs; wait for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  const flag: WriteFlag = { wrote: false };
  const database = withStatementCache(sqlite, flag);
  const dialect =
    file === ':memory:' ? new SqliteDialect({ database }) : new DurableSqliteDialect({ database }, flag, new WalSync(path.resolve(file), options.syncWal));
  const db = new Kysely<Database>({ dialect });
  // Read directly, not through Kysely: it is asked before every cached client is used.
  const version = sqlite.prepare('PRAGMA data_version').pluck();
  return { db, backend: 'sqlite', dataVersion: () => version.get() as number, close: () => db.destroy() };
}

export interface StoreOptions {
  /** PostgreSQL: schema to work in (tests use one schema each); defaults to the server's search_path. */
  schema?: string;
  /** PostgreSQL: pool size. */
  max?: number;
  /** SQLite: how the WAL is made durable (tests slow or count it); fsync by default. */
  syncWal?: (fd: number) => Promise<void>;
}

function openPostgres(url: string, options: StoreOptions): Store {
  const pool = new (pgDriver().Pool)({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener Node
  // would crash. The next query reconnects, so there is nothing more to do here.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool: preparedStatementPool(pool) }) });
  const counts = { total: () => pool.totalCount, idle: () => pool.idleCount, waiting: () => pool.waitingCount };
  return { db, backend: 'postgres', pool: counts, close: () => db.destroy() };
}

/** Opens the database named by a GATEHOUSE_DATABASE_URL value (see config.ts). */
export function openStore(databaseUrl: string, options: StoreOptions = {}): Store {
  if (databaseUrl.startsWith('sqlite:')) return openSqlite(databaseUrl.slice('sqlite:'.length), options);
  return openPostgres(databaseUrl, options);
}

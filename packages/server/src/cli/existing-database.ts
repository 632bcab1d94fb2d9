import fs from 'node:fs';
import { redactedDatabaseUrl } from '../store/redacted-url.js';
import SqliteDatabase from 'better-sqlite3';
import type { Config } from '../config.js';
import { pgDriver } from '../store/pg-module.js';

// Kysely's bookkeeping table, made by the first migration: every database `gatehouse serve` or
// `gatehouse migrate` has run on has it.
const MIGRATIONS_TABLE = 'kysely_migration';

/** Where the database URL came from, in the words of the variables that set it. */
function source(env: Record<string, string | undefined>): string {
  if (env.GATEHOUSE_DATABASE_URL?.trim()) return 'from GATEHOUSE_DATABASE_URL';
  const dir = env.GATEHOUSE_DATA_DIR?.trim();
  return dir ? `in GATEHOUSE_DATA_DIR=${dir}` : 'GATEHOUSE_DATA_DIR is not set, so ./data in the current folder';
}

function sqliteHasTables(file: string): boolean {
  let sqlite: SqliteDatabase.Database;
  try {
    // Read-only: looking must never change the file, whatever it turns out to be.
    sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`cannot open the SQLite database ${file}: ${(error as Error).message}`);
  }
  try {
    return sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(MIGRATIONS_TABLE) !== undefined;
  } catch (error) {
    throw new Error(`cannot read the SQLite database ${file}: ${(error as Error).message}`);
  } finally {
    sqlite.close();
  }
}

/** False when the tables are missing; undefined when the database itself does not exist. */
async function postgresHasTables(url: string): Promise<boolean | undefined> {
  const client = new (pgDriver().Client)({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A connection lost between queries is reported here as well as to the query; one is enough.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    // 3D000 invalid_catalog_name: no database of that name on the server.
    if ((error as { code?: unknown }).code === '3D000') return undefined;
    throw error;
  }
  try {
    const { rows } = await client.query<{ present: boolean }>(
      'select exists (select 1 from pg_catalog.pg_tables where schemaname = current_schema() and tablename = $1) as present',
      [MIGRATIONS_TABLE],
    );
    return rows[0]?.present === true;
  } finally {
    await client.end();
  }
}

/**
 * Refuses to go on unless the configured database exists and has Gatehouse's tables. Every
 * command but serve and migrate works on the server's data, so a database that is not there
 * means the command is looking in the wrong place: creating an empty one would only answer
 * "No clients yet". The message names what it looked for and how to point at the right one.
 */
export async function requireExistingDatabase(config: Config, env: Record<string, string | undefined>): Promise<void> {
  const url = config.databaseUrl;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === ':memory:') return;
    const problem = !fs.existsSync(file) ? 'no such file' : sqliteHasTables(file) ? undefined : 'the file has no Gatehouse tables';
    if (!problem) return;
    throw new Error(
      `no Gatehouse database at ${file} (${problem}; ${source(env)}).\n` +
        "Run the command where the server runs, with the same environment, or point it at the server's\n" +
        'database with GATEHOUSE_DATA_DIR (the folder holding gatehouse.db) or GATEHOUSE_DATABASE_URL.\n' +
        'To start a new database, run `gatehouse migrate` (or `gatehouse serve`) first.',
    );
  }
  const present = await postgresHasTables(url);
  if (present) return;
  const [problem, create] =
    present === undefined
      ? ['PostgreSQL has no database of that name', 'create the database, then its tables']
      : ['it has no Gatehouse tables, it was never migrated', 'create the tables'];
  throw new Error(
    `no Gatehouse database at ${redactedDatabaseUrl(url)} (${problem}; ${source(env)}).\n` +
      `Set GATEHOUSE_DATABASE_URL to the server's database, or for a new one ${create}\n` +
      'with `gatehouse migrate` (or `gatehouse serve`) first.',
  );
}

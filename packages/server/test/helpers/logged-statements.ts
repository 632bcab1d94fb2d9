import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { createServices } from '../../src/services.js';
import { CurrentSchemaPostgresDialect } from '../../src/store/postgres-introspector.js';
import type { Database } from '../../src/store/schema.js';
import { premadeKeyPairs } from './premade-keys.js';
import { TEST_SECRET, type TestContext, openTestStore, testClock } from './harness.js';
import { auditedApp } from './path-audit.js';
import { ISSUER } from './prefix.js';

/** A test context on the backend under test with Kysely's query log on: every statement's SQL, in order. */
export interface LoggedContext {
  ctx: TestContext;
  statements: string[];
  backend: 'sqlite' | 'postgres';
}

export async function loggedContext(env: Record<string, string> = {}): Promise<LoggedContext> {
  const statements: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-statements-'));
  const log = (event: { level: string; query: { sql: string } }): void => {
    if (event.level === 'query') statements.push(event.query.sql);
  };
  let db: Kysely<Database>;
  let drop = async (): Promise<void> => {};
  const postgres = Boolean(process.env.TEST_DATABASE_URL);
  if (postgres) {
    const opened = await openTestStore();
    await opened.store.close();
    drop = opened.drop;
    db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool: new pg.Pool({ connectionString: opened.url, max: 4 }) }), log });
  } else {
    const sqlite = new SqliteDatabase(path.join(dir, 'statements.db'));
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
  }
  const config = loadConfig({ GATEHOUSE_ISSUER: ISSUER, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: TEST_SECRET, ...env });
  const clock = testClock();
  const services = await createServices(config, {
    store: { db, backend: postgres ? 'postgres' : 'sqlite', close: () => db.destroy() },
    clock,
    logger: silentLogger,
    keyPairs: premadeKeyPairs(),
  });
  const ctx: TestContext = {
    config,
    services,
    scope: await services.scopes.defaultScope(),
    app: auditedApp(createApp(services), config.issuer),
    clock,
    databaseUrl: '',
    close: async () => {
      await services.close();
      await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return { ctx, statements, backend: postgres ? 'postgres' : 'sqlite' };
}

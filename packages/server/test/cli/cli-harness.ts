import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { systemClock } from '../../src/store/clock.js';
import type { Store } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { type Repos, createRepos } from '../../src/store/repos.js';
import { TEST_SECRET, openTestStore } from '../helpers/harness.js';
import { ISSUER } from '../helpers/prefix.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/**
 * A database and environment of its own for one test file, as a server would see it. The
 * store stays open so tests can look at what the commands wrote.
 */
export interface CliContext {
  env: Record<string, string>;
  store: Store;
  repos: Repos;
  run(argv: string[], stdin?: string[]): Promise<CliResult>;
  /** Runs a command that must succeed with --json and returns its parsed output. */
  json<T>(argv: string[], stdin?: string[]): Promise<T>;
  close(): Promise<void>;
}

export async function createCliContext(extraEnv: Record<string, string> = {}): Promise<CliContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
  // SQLite file in a fresh temp dir, or a fresh schema when TEST_DATABASE_URL names PostgreSQL.
  const { store, url, drop } = await openTestStore();
  // As `gatehouse serve` leaves it: the commands refuse a database that was never migrated.
  await migrate(store.db);
  const env = {
    GATEHOUSE_DATABASE_URL: url,
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_SECRET: TEST_SECRET,
    GATEHOUSE_ISSUER: ISSUER,
    ...extraEnv,
  };
  const run = async (argv: string[], stdin: string[] = []): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      stdin: Readable.from(stdin),
      env,
    };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return {
    env,
    store,
    repos: createRepos(store.db, systemClock, DEFAULT_ISSUER_ID),
    run,
    async json<T>(argv: string[], stdin?: string[]): Promise<T> {
      const result = await run([...argv, '--json'], stdin);
      if (result.code !== 0) throw new Error(`gatehouse ${argv.join(' ')} exited ${result.code}: ${result.err}`);
      return JSON.parse(result.out) as T;
    },
    async close() {
      await store.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const REDIRECT_URI = 'https://example-business.com/api/auth/callback/gatehouse';

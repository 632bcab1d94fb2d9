import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { TEST_SECRET, type TestContext } from './harness.js';

/** Runs the `gatehouse` command line in-process against a test context's database. */
export async function gatehouse(ctx: TestContext, argv: string[], stdin: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    stdin: Readable.from(stdin),
    env: {
      GATEHOUSE_DATABASE_URL: ctx.databaseUrl,
      GATEHOUSE_DATA_DIR: ctx.config.dataDir,
      GATEHOUSE_SECRET: TEST_SECRET,
      GATEHOUSE_ISSUER: ctx.config.issuer,
    },
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The same, for a command that must succeed with --json: its parsed output. */
export async function gatehouseJson<T>(ctx: TestContext, argv: string[], stdin: string[] = []): Promise<T> {
  const result = await gatehouse(ctx, [...argv, '--json'], stdin);
  if (result.code !== 0) throw new Error(`gatehouse ${argv.join(' ')} exited ${result.code}: ${result.err}`);
  return JSON.parse(result.out) as T;
}

import type { Readable } from 'node:stream';

/** Where a command writes and reads; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** The issuer the command works on (the global --issuer option); the default issuer when unset. */
  issuer?: string;
  /** Resolves once what `out` wrote has been taken by the reader: a long export waits on a slow pipe instead of buffering. */
  drain?(): Promise<void>;
}

export function nodeIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    stdin: process.stdin,
    env: process.env,
    drain: () => (process.stdout.writableNeedDrain ? new Promise((resolve) => process.stdout.once('drain', () => resolve())) : Promise.resolve()),
  };
}

/** A mistake in how the command was called: exit code 2 with the message. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

import type { Readable } from 'node:stream';

/** Where a command writes and reads; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** The issuer the command works on (the global --issuer option); the default issuer when unset. */
  issuer?: string;
}

export function nodeIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    stdin: process.stdin,
    env: process.env,
  };
}

/** A mistake in how the command was called: exit code 2 with the message. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

import { readStdin } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { passwordFromStdin } from './validate.js';

// Far above the longest allowed password (1024 characters of up to 4 bytes), far below harm.
const STDIN_LIMIT = 64 * 1024;

/** Refuses a --password flag before parsing: its value would already be in shell history. */
export function refusePasswordFlag(args: string[]): void {
  if (args.some((a) => a === '--password' || a.startsWith('--password='))) {
    throw new CliUsageError('there is no --password flag (it would leak into shell history); pipe the password in with --password-stdin');
  }
}

/** The password piped to `command` (validated), refusing a terminal, which would echo it. */
export async function readPasswordStdin(io: CliIo, command: string): Promise<string> {
  if ((io.stdin as { isTTY?: boolean }).isTTY) {
    throw new CliUsageError(`--password-stdin expects the password piped in, not typed at a terminal; see gatehouse ${command} --help`);
  }
  return passwordFromStdin(await readStdin(io.stdin, STDIN_LIMIT));
}

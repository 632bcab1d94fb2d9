import { validatePassword } from '../services/users.js';
import { CliUsageError } from './io.js';

/** Takes what was piped in: one trailing newline (LF or CRLF) is the shell's, not the password's. */
export function passwordFromStdin(input: string): string {
  const password = input.endsWith('\r\n') ? input.slice(0, -2) : input.endsWith('\n') ? input.slice(0, -1) : input;
  if (password === '') throw new CliUsageError('--password-stdin: nothing was read from stdin; pipe the password in');
  try {
    return validatePassword(password);
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

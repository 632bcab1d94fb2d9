import { passwordLengthProblem } from '../auth/password-policy.js';
import { checkedText } from '../services/errors.js';
import { CliUsageError } from './io.js';

/** A short single-line text such as a display name (the services' rule), named by its flag. */
export function checkText(flag: string, raw: string, max: number): string {
  try {
    return checkedText(flag, flag, raw, max);
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** A sanity check only (the address is proven by the user, not by its shape). */
export function checkEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > 320) throw new CliUsageError('--email must be at most 320 characters');
  const parts = email.split('@');
  if (parts.length !== 2 || !parts[0] || !parts[1] || /[\s\p{Cc}]/u.test(email)) {
    throw new CliUsageError(`--email "${raw}" is not an email address (one @, no spaces)`);
  }
  return email;
}

/** Takes what was piped in: one trailing newline (LF or CRLF) is the shell's, not the password's. */
export function passwordFromStdin(input: string): string {
  const password = input.endsWith('\r\n') ? input.slice(0, -2) : input.endsWith('\n') ? input.slice(0, -1) : input;
  if (password === '') throw new CliUsageError('--password-stdin: nothing was read from stdin; pipe the password in');
  const problem = passwordLengthProblem(password);
  if (problem) throw new CliUsageError(`the password ${problem}`);
  return password;
}

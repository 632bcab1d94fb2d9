import { parseArgs } from 'node:util';
import { ServiceError } from '../services/errors.js';
import { type UserInput, createUser, validateNewUser } from '../services/users.js';
import { parseOrUsage, wantsHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { readPasswordStdin, refusePasswordFlag } from './password-stdin.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password-policy.js';

export const CREATE_HELP = `Usage: printf '%s\\n' "$PASSWORD" | gatehouse user create --email EMAIL --password-stdin [options]

Creates a user who can sign in with email and password.

Options:
  --email EMAIL        sign-in email, stored lower-case (required)
  --password-stdin     read the password from stdin (required). All of stdin is read and one
                       trailing newline is dropped; ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.
                       There is deliberately no --password flag: arguments end up in shell
                       history and are visible to other users in the process list.
  --name NAME          full name (the "name" claim)
  --given-name NAME    the "given_name" claim
  --family-name NAME   the "family_name" claim
  --username NAME      the "preferred_username" claim
  --email-verified     mark the email as verified (the "email_verified" claim)
  --json               print {"sub": "<user id>"}
  -h, --help           show this help

Exits with 1 if a user with this email already exists.

To type the password without echoing it:
  read -rs PASSWORD && printf '%s\\n' "$PASSWORD" | gatehouse user create --email ada@example.com --password-stdin`;

const USER_FLAGS = { email: '--email', name: '--name', givenName: '--given-name', familyName: '--family-name', preferredUsername: '--username' } as const;

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'invalid') throw new CliUsageError(error.message);
    throw error;
  }
}

function parseCreateArgs(args: string[]): { user: UserInput; json: boolean } {
  refusePasswordFlag(args);
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        name: { type: 'string' },
        'given-name': { type: 'string' },
        'family-name': { type: 'string' },
        username: { type: 'string' },
        'email-verified': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}" (did you forget quotes around a value?)`);
  if (values.email === undefined) throw new CliUsageError('--email is required');
  if (!values['password-stdin']) {
    throw new CliUsageError('--password-stdin is required: pipe the password in, e.g. printf \'%s\\n\' "$PASSWORD" | gatehouse user create ...');
  }
  const user: UserInput = { email: values.email, emailVerified: values['email-verified'] ?? false };
  if (values.name !== undefined) user.name = values.name;
  if (values['given-name'] !== undefined) user.givenName = values['given-name'];
  if (values['family-name'] !== undefined) user.familyName = values['family-name'];
  if (values.username !== undefined) user.preferredUsername = values.username;
  // The service's rules, checked before the database is opened (a usage mistake: exit 2).
  asUsage(() => validateNewUser(user, USER_FLAGS));
  return { user, json: values.json ?? false };
}

export async function userCreate(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.out(CREATE_HELP);
    return 0;
  }
  const { user, json } = parseCreateArgs(args);
  const password = await readPasswordStdin(io, 'user create');
  // Hashed once the configuration is applied, so with the operator's argon2id cost.
  const created = await withScope(io, (s) => createUser(s, user, password, USER_FLAGS));
  if (json) io.out(JSON.stringify({ sub: created.id }));
  else io.out(`Created user ${created.email}${created.emailVerified ? ' (email verified)' : ''}.\n  sub: ${created.id}`);
  return 0;
}

import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/password.js';
import type { NewUser } from '../store/repos/users.js';
import { parseOrUsage, wantsHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { readPasswordStdin, refusePasswordFlag } from './password-stdin.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password-policy.js';
import { checkEmail, checkText } from './validate.js';

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

function parseCreateArgs(args: string[]): { user: Omit<NewUser, 'passwordHash'>; json: boolean } {
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
  const optional = (flag: string, value: string | undefined): string | null => (value === undefined ? null : checkText(flag, value, 200));
  return {
    user: {
      email: checkEmail(values.email),
      emailVerified: values['email-verified'] ?? false,
      name: optional('--name', values.name),
      givenName: optional('--given-name', values['given-name']),
      familyName: optional('--family-name', values['family-name']),
      preferredUsername: optional('--username', values.username),
    },
    json: values.json ?? false,
  };
}

export async function userCreate(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.out(CREATE_HELP);
    return 0;
  }
  const { user, json } = parseCreateArgs(args);
  const password = await readPasswordStdin(io, 'user create');
  // Hashed once the configuration is applied, so with the operator's argon2id cost.
  const created = await withScope(io, async (s) => s.repos.users.create({ ...user, passwordHash: await hashPassword(password) }));
  if (json) io.out(JSON.stringify({ sub: created.id }));
  else io.out(`Created user ${created.email}${created.emailVerified ? ' (email verified)' : ''}.\n  sub: ${created.id}`);
  return 0;
}

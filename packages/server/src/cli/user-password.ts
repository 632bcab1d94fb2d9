import { parseArgs } from 'node:util';
import { setPassword } from '../services/users.js';
import { parseOrUsage, positionals, withHelp, withScope } from './common.js';
import { CliUsageError } from './io.js';
import { readPasswordStdin, refusePasswordFlag } from './password-stdin.js';
import { findUser } from './user-find.js';

export const SET_PASSWORD_HELP = `Usage: printf '%s\\n' "$PASSWORD" | gatehouse user set-password <user-id-or-email> --password-stdin [--revoke-grants] [--json]

Replaces the user's password (stored as an argon2id hash, with the cost GATEHOUSE_ARGON2_MEMORY_KIB
and GATEHOUSE_ARGON2_ITERATIONS set) and ends every session they have, so every browser signs in
again, with the new password. The grants apps were given through those sessions end with them
(OIDC offline access: only grants with the offline_access scope outlive the session they were
signed in through, and their refresh tokens go on working). When the old password may have
been stolen, add --revoke-grants: every grant the user gave is revoked too, offline ones
included, so each app asks them to sign in again. A disabled user
stays disabled ("gatehouse user enable").

Options:
  --password-stdin   read the new password from stdin (required). All of stdin is read and one
                     trailing newline dropped; 8 to 1024 characters. There is deliberately no
                     --password flag: arguments end up in shell history.
  --revoke-grants    also revoke every grant the user gave
  --json             print {"sub", "email", "sessions_ended": true, "grants_revoked"}

Exits with 1 if there is no such user.`;

export const userSetPassword = withHelp(SET_PASSWORD_HELP, async (args, io) => {
  refusePasswordFlag(args);
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { 'password-stdin': { type: 'boolean' }, 'revoke-grants': { type: 'boolean' }, json: { type: 'boolean' } },
    }),
  );
  const [idOrEmail = ''] = positionals(given, ['user-id-or-email']);
  if (!values['password-stdin']) throw new CliUsageError('--password-stdin is required: pipe the new password in (see gatehouse user set-password --help)');
  const password = await readPasswordStdin(io, 'user set-password');
  const { user, grantsRevoked } = await withScope(io, async (s) => {
    // Hashed once the configuration is applied (the operator's argon2id cost), outside the
    // transaction; one transaction then: a new password never leaves an old session (or, asked, a grant) live.
    const found = await findUser(s.repos, idOrEmail);
    return { user: found, grantsRevoked: await setPassword(s, found, password, { revokeGrants: values['revoke-grants'] ?? false }) };
  });
  if (values.json) io.out(JSON.stringify({ sub: user.id, email: user.email, sessions_ended: true, grants_revoked: grantsRevoked }));
  else {
    const grants = values['revoke-grants'] ? `, ${grantsRevoked} grant${grantsRevoked === 1 ? '' : 's'} revoked` : '; apps keep their offline_access grants';
    io.out(`New password set for ${user.email} (sub ${user.id}): signed out everywhere${grants}.`);
  }
  return 0;
});

import { disableUser, enableUser } from '../services/users.js';
import { dispatch, isoTime, parseIdArgs, table, withHelp, withScope } from './common.js';
import type { CliIo } from './io.js';
import { userCreate } from './user-create.js';
import { findUser } from './user-find.js';
import { userSetPassword } from './user-password.js';
import { userDelete, userInvite } from './user-manage.js';
import { userResetFactors } from './user-factors.js';
import { subjectAttrCommand } from './claims.js';

const USAGE = `Usage: gatehouse user <subcommand> [options]

Subcommands:
  create --email EMAIL --password-stdin ...   create a user (see: gatehouse user create --help)
  list                                         list every user (never password hashes)
  disable <user-id-or-email>                   block sign-in, end all sessions, revoke all grants
  enable <user-id-or-email>                    allow sign-in again
  set-password <user-id-or-email> ...          replace the password, end all sessions (see: gatehouse user set-password --help)
  delete <user-id-or-email>                    delete the user with their sessions, grants and memberships
  invite --email EMAIL [--name NAME]           mail a link to choose a password (creates the user if needed)
  reset-factors <user-id-or-email>             remove the authenticator app and recovery codes (lost phone)
  attr set|unset|list <user-id-or-email> ...   typed attributes, e.g. kyc (see: gatehouse user attr --help)

Every subcommand accepts --json (one JSON document on stdout) and --help.`;

const SUB_HELP = {
  list: `Usage: gatehouse user list [--json]

Lists every user: sub (user id), email, name, disabled, created. --json prints an array of
{"sub", "email", "name", "disabled", "created_at"}.`,
  disable: `Usage: gatehouse user disable <user-id-or-email> [--json]

Stops the user signing in, ends every session they have and revokes every grant they gave, so
their refresh and access tokens stop working. Running it again is harmless.
--json prints {"sub", "email", "disabled": true, "grants_revoked"}.`,
  enable: `Usage: gatehouse user enable <user-id-or-email> [--json]

Lets a disabled user sign in again. Grants revoked by "disable" stay revoked: apps ask the user
to sign in again. --json prints {"sub", "email", "disabled": false}.`,
};

const userList = withHelp(SUB_HELP.list, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const users = await withScope(io, (s) => s.repos.users.list());
  // Picked field by field so a password hash can never slip into the output.
  const view = users.map((u) => ({ sub: u.id, email: u.email, name: u.name, disabled: u.disabled, created_at: isoTime(u.createdAt) }));
  if (json) io.out(JSON.stringify(view));
  else if (users.length === 0) io.out('No users yet. Create one with: gatehouse user create --help');
  else {
    const rows = view.map((u) => [u.sub, u.email, u.name ?? '', u.disabled ? 'yes' : 'no', u.created_at]);
    io.out(table(['SUB', 'EMAIL', 'NAME', 'DISABLED', 'CREATED'], rows));
  }
  return 0;
});

const userDisable = withHelp(SUB_HELP.disable, async (args, io) => {
  const {
    ids: [idOrEmail = ''],
    json,
  } = parseIdArgs(args, ['user-id-or-email']);
  const { user, grantsRevoked } = await withScope(io, async (s) => {
    const found = await findUser(s.repos, idOrEmail);
    return { user: found, grantsRevoked: await disableUser(s, found) };
  });
  if (json) io.out(JSON.stringify({ sub: user.id, email: user.email, disabled: true, grants_revoked: grantsRevoked }));
  else {
    io.out(`Disabled ${user.email} (sub ${user.id}): signed out everywhere, ${grantsRevoked} grant${grantsRevoked === 1 ? '' : 's'} revoked.`);
  }
  return 0;
});

const userEnable = withHelp(SUB_HELP.enable, async (args, io) => {
  const {
    ids: [idOrEmail = ''],
    json,
  } = parseIdArgs(args, ['user-id-or-email']);
  const user = await withScope(io, async (s) => {
    const found = await findUser(s.repos, idOrEmail);
    await enableUser(s, found);
    return found;
  });
  if (json) io.out(JSON.stringify({ sub: user.id, email: user.email, disabled: false }));
  else io.out(`Enabled ${user.email} (sub ${user.id})${user.disabled ? '' : ' (was not disabled)'}.`);
  return 0;
});

export async function userCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, {
    create: userCreate,
    list: userList,
    disable: userDisable,
    enable: userEnable,
    'set-password': userSetPassword,
    delete: userDelete,
    invite: userInvite,
    'reset-factors': userResetFactors,
    attr: subjectAttrCommand('user'),
  });
}

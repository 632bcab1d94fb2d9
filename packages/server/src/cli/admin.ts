import { parseArgs } from 'node:util';
import { ADMIN_ROLES } from '../admin/roles.js';
import { grantAdminRole, revokeAdminRole, validateRole } from '../services/admins.js';
import { createUser, validateEmail } from '../services/users.js';
import { dispatch, isoTime, parseIdArgs, parseOrUsage, table, wantsHelp, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { readPasswordStdin, refusePasswordFlag } from './password-stdin.js';
import { findUser } from './user-find.js';

const USAGE = `Usage: gatehouse admin <subcommand> [options]

Who administers the issuer in the console and the Admin API (docs/admin-api.md). There is no
default administrator: the first owner is made here, or through the one-time setup link
"gatehouse serve" prints while the default issuer has no owner.

Subcommands:
  create --email EMAIL [--role ROLE] [--password-stdin]   give a user a role (creating the user)
  list                                                     list every administrator and role
  remove <user-id-or-email>                                take the role away (not the last owner's)

Roles: owner (everything, and who administers), admin (everything else), viewer (read only).
Owners of the default issuer also manage the other issuers.
Every subcommand accepts --json and --help.`;

const CREATE_HELP = `Usage: gatehouse admin create --email EMAIL [--role ${ADMIN_ROLES.join('|')}] [--name NAME] [--password-stdin] [--json]

Gives the user with EMAIL the role (default: owner), replacing the role they had. When the issuer
has no user with that email, creates one: then --password-stdin is required (the password is read
from stdin, as for "gatehouse user create"). Exits 1 when the change would leave the issuer
without an owner.`;

const LIST_HELP = `Usage: gatehouse admin list [--json]

Lists who administers the issuer: sub (user id), email, role, since.`;

const REMOVE_HELP = `Usage: gatehouse admin remove <user-id-or-email> [--json]

Takes the user's administrator role away; they stay a user. The last owner cannot be removed.`;

async function adminCreate(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.out(CREATE_HELP);
    return 0;
  }
  refusePasswordFlag(args);
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
  if (values.email === undefined) throw new CliUsageError('--email is required');
  const email = usage(() => validateEmail(values.email ?? '', '--email'));
  const role = usage(() => validateRole(values.role ?? 'owner'));
  const password = values['password-stdin'] ? await readPasswordStdin(io, 'admin create') : null;
  const result = await withScope(io, async (scope) => {
    let user = await scope.repos.users.findByEmail(email);
    let created = false;
    if (!user) {
      if (password === null) throw new CliUsageError(`there is no user ${email} at this issuer: add --password-stdin to create one`);
      user = await createUser(scope, { email, name: values.name, emailVerified: true }, password, { email: '--email', name: '--name' });
      created = true;
    }
    const assignment = await grantAdminRole(scope, user.id, role);
    return { assignment, created, url: scope.href('/admin') };
  });
  const { assignment, created, url } = result;
  if (values.json) io.out(JSON.stringify({ sub: assignment.userId, email: assignment.email, role: assignment.role, user_created: created }));
  else io.out(`${created ? 'Created' : 'Updated'} ${assignment.email}: ${assignment.role} (sub ${assignment.userId}).\nSign in to the console at ${url}`);
  return 0;
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

const adminList = withHelp(LIST_HELP, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const admins = await withScope(io, (s) => s.repos.adminRoles.list());
  const view = admins.map((a) => ({ sub: a.userId, email: a.email, role: a.role, since: isoTime(a.createdAt) }));
  if (json) io.out(JSON.stringify(view));
  else if (view.length === 0) io.out('No administrators yet. Make the first owner with: gatehouse admin create --email you@example.com --password-stdin');
  else
    io.out(
      table(
        ['SUB', 'EMAIL', 'ROLE', 'SINCE'],
        view.map((a) => [a.sub, a.email, a.role, a.since]),
      ),
    );
  return 0;
});

const adminRemove = withHelp(REMOVE_HELP, async (args, io) => {
  const {
    ids: [idOrEmail = ''],
    json,
  } = parseIdArgs(args, ['user-id-or-email']);
  const { user, removed } = await withScope(io, async (s) => {
    const found = await findUser(s.repos, idOrEmail);
    return { user: found, removed: await revokeAdminRole(s, found.id) };
  });
  if (json) io.out(JSON.stringify({ sub: user.id, email: user.email, removed }));
  else io.out(removed ? `${user.email} no longer administers this issuer.` : `${user.email} had no administrator role.`);
  return 0;
});

export async function adminCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { create: adminCreate, list: adminList, remove: adminRemove });
}

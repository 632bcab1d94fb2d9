import { parseArgs } from 'node:util';
import type { IssuerScope } from '../issuers/scope.js';
import type { Member } from '../store/repos/memberships.js';
import type { User } from '../store/repos/users.js';
import { dispatch, isoTime, parseIdArgs, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { addMember, removeMember, setMemberRoles } from '../services/organizations.js';
import { PROPAGATION, checkRoles, findOrganization, withHint } from './org-common.js';
import { findUser } from './user-find.js';

const USAGE = `Usage: gatehouse org member <subcommand> [options]

Subcommands:
  add <org-id> <email> [--role ROLE ...]        make a user a member, with roles of the organization
  set-roles <org-id> <email> --role ROLE ...    replace a member's roles
  remove <org-id> <email>                       end a membership
  list <org-id>                                 list the members and their roles

A user may be named by email or by user id (sub). Changes reach apps at their next token
refresh or userinfo call. Every subcommand accepts --json (one JSON document on stdout) and --help.`;

const SUB_HELP = {
  add: `Usage: gatehouse org member add <org-id> <email> [--role ROLE ...] [--json]

Makes the user a member of the organization. Each --role must be defined in the organization
(gatehouse org role set); repeat it for more. Without --role the user is a member with no roles
and no permissions. --json prints {"organization", "sub", "email", "roles"}.
Exits with 1 if there is no such organization, user or role, or the user is already a member
(change their roles with "org member set-roles").`,
  'set-roles': `Usage: gatehouse org member set-roles <org-id> <email> (--role ROLE ... | --none) [--json]

Replaces the member's roles with the ones given (repeat --role for more); --none leaves them a
member without roles. --json prints {"organization", "sub", "email", "roles"}.
Exits with 1 if the user is not a member or a role is not defined in the organization.`,
  remove: `Usage: gatehouse org member remove <org-id> <email> [--json]

Ends the user's membership (their roles in the organization go with it).
--json prints {"organization", "sub", "email", "removed": true}.
Exits with 1 if the user is not a member.`,
  list: `Usage: gatehouse org member list <org-id> [--json]

Lists the organization's members: email, sub, name, roles, since. --json prints an array of
{"sub", "email", "name", "roles", "created_at", "updated_at"}.`,
};

function memberView(organizationId: string, member: Member): Record<string, unknown> {
  return { organization: organizationId, sub: member.userId, email: member.email, roles: member.roles };
}

function rolesText(roles: string[]): string {
  return roles.length ? `role${roles.length === 1 ? '' : 's'} ${roles.join(', ')}` : 'no roles';
}

/** `<org-id> <email> --role ... [--none] [--json]`, checked before the database is opened. */
function parseMemberArgs(args: string[], allowNone: boolean): { orgId: string; user: string; roles: string[]; none: boolean; json: boolean } {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { role: { type: 'string', multiple: true }, json: { type: 'boolean' }, ...(allowNone ? { none: { type: 'boolean' as const } } : {}) },
    }),
  );
  const [orgId = '', user = ''] = positionals(given, ['org-id', 'email']);
  const roles = checkRoles(values.role ?? []);
  const none = (values as { none?: boolean }).none ?? false;
  return { orgId, user, roles, none, json: values.json ?? false };
}

/** The user named by email or sub; an unknown organization is told first, as it is the first argument. */
async function findUserIn(scope: IssuerScope, orgId: string, user: string): Promise<User> {
  await findOrganization(scope.repos, orgId);
  return findUser(scope.repos, user);
}

const memberAdd = withHelp(SUB_HELP.add, async (args, io) => {
  const { orgId, user, roles, json } = parseMemberArgs(args, false);
  const member = await withScope(io, async (s) => addMember(s, orgId, (await findUserIn(s, orgId, user)).id, roles));
  if (json) io.out(JSON.stringify(memberView(orgId, member)));
  else io.out(`Added ${member.email} to ${orgId} with ${rolesText(member.roles)}. ${PROPAGATION}`);
  return 0;
});

const memberSetRoles = withHelp(SUB_HELP['set-roles'], async (args, io) => {
  const { orgId, user, roles, none, json } = parseMemberArgs(args, true);
  if (roles.length === 0 && !none)
    throw new CliUsageError('give the new roles with --role ROLE (repeat for more), or --none to leave the member without roles');
  if (roles.length > 0 && none) throw new CliUsageError('--none and --role exclude each other');
  const member = await withScope(io, async (s) => {
    const found = await findUserIn(s, orgId, user);
    return withHint(() => setMemberRoles(s, orgId, found.id, roles), 'user', 'add them with: gatehouse org member add');
  });
  if (json) io.out(JSON.stringify(memberView(orgId, member)));
  else io.out(`${member.email} now has ${rolesText(member.roles)} in ${orgId}. ${PROPAGATION}`);
  return 0;
});

const memberRemove = withHelp(SUB_HELP.remove, async (args, io) => {
  const {
    ids: [orgId = '', user = ''],
    json,
  } = parseIdArgs(args, ['org-id', 'email']);
  const removed = await withScope(io, async (s) => {
    const found = await findUserIn(s, orgId, user);
    await removeMember(s, orgId, found.id);
    return found;
  });
  if (json) io.out(JSON.stringify({ organization: orgId, sub: removed.id, email: removed.email, removed: true }));
  else io.out(`Removed ${removed.email} from ${orgId}. ${PROPAGATION}`);
  return 0;
});

const memberList = withHelp(SUB_HELP.list, async (args, io) => {
  const {
    ids: [orgId = ''],
    json,
  } = parseIdArgs(args, ['org-id']);
  const members = await withScope(io, async (s) => {
    await findOrganization(s.repos, orgId);
    return s.repos.memberships.list(orgId);
  });
  if (json) {
    io.out(
      JSON.stringify(
        members.map((m) => ({
          sub: m.userId,
          email: m.email,
          name: m.name,
          roles: m.roles,
          created_at: isoTime(m.createdAt),
          updated_at: isoTime(m.updatedAt),
        })),
      ),
    );
  } else if (members.length === 0) io.out(`Organization ${orgId} has no members yet. Add one with: gatehouse org member add --help`);
  else {
    const rows = members.map((m) => [m.email, m.userId, m.name ?? '', m.roles.join(', ') || '(none)', isoTime(m.createdAt)]);
    io.out(table(['EMAIL', 'SUB', 'NAME', 'ROLES', 'SINCE'], rows));
  }
  return 0;
});

export async function orgMemberCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { add: memberAdd, 'set-roles': memberSetRoles, remove: memberRemove, list: memberList });
}

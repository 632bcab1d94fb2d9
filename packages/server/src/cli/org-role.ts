import { parseArgs } from 'node:util';
import { dispatch, isoTime, parseIdArgs, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { deleteRole, setRole } from '../services/organizations.js';
import { PROPAGATION, checkPermissions, checkRoleName, findOrganization, withHint } from './org-common.js';

const USAGE = `Usage: gatehouse org role <subcommand> [options]

A role is a named set of permissions in one organization; members hold roles, and their
permissions in the "organizations" claim are the union of their roles' permissions.

Subcommands:
  set <org-id> <role> --permission P ...   define a role, or replace its permissions
  delete <org-id> <role>                   delete a role; members who held it lose it
  list <org-id>                            list the roles and their permissions

Every subcommand accepts --json (one JSON document on stdout) and --help.`;

const SUB_HELP = {
  set: `Usage: gatehouse org role set <org-id> <role> (--permission ACTION:RESOURCE ... | --none) [--json]

Defines the role in the organization, or replaces all the permissions of an existing role (list
every permission it should have). Members holding the role get the new permissions from each
app's next token refresh or userinfo call.

  <role>                         1 to 64 characters of a-z, 0-9, "-" and "_", e.g. billing-admin
  --permission ACTION:RESOURCE   a permission, as apps check it with hasAccessIn(org, action,
                                 resource); repeat for more, e.g. --permission write:projects
                                 --permission read:billing. Each part of a-z, 0-9, ".", "-"
                                 and "_"; no wildcards.
  --none                         a role without permissions (instead of --permission)
  --json                         print {"organization", "role", "permissions", "created"}`,
  delete: `Usage: gatehouse org role delete <org-id> <role> [--json]

Deletes the role. Members who held it keep their membership and their other roles.
--json prints {"organization", "role", "deleted": true, "members_affected"}.
Exits with 1 if there is no such organization or role.`,
  list: `Usage: gatehouse org role list <org-id> [--json]

Lists the organization's roles with their permissions. --json prints an array of
{"name", "permissions", "created_at", "updated_at"}.`,
};

const roleSet = withHelp(SUB_HELP.set, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { permission: { type: 'string', multiple: true }, none: { type: 'boolean' }, json: { type: 'boolean' } },
    }),
  );
  const [orgId = '', role = ''] = positionals(given, ['org-id', 'role']);
  checkRoleName(role);
  const permissions = checkPermissions(values.permission ?? []);
  if (permissions.length === 0 && !values.none) {
    throw new CliUsageError('give the role its permissions with --permission ACTION:RESOURCE (repeat for more), or --none for a role without any');
  }
  if (permissions.length > 0 && values.none) throw new CliUsageError('--none and --permission exclude each other');
  const { role: saved, created } = await withScope(io, (s) => setRole(s, orgId, role, permissions));
  if (values.json) {
    io.out(JSON.stringify({ organization: orgId, role: saved.name, permissions: saved.permissions, created }));
    return 0;
  }
  const listed = saved.permissions.length ? saved.permissions.join(' ') : '(no permissions)';
  io.out(`${created ? 'Defined' : 'Replaced'} role ${saved.name} in ${orgId}: ${listed}.${created ? '' : ` ${PROPAGATION}`}`);
  return 0;
});

const roleDelete = withHelp(SUB_HELP.delete, async (args, io) => {
  const {
    ids: [orgId = '', role = ''],
    json,
  } = parseIdArgs(args, ['org-id', 'role']);
  const affected = await withScope(io, (s) => withHint(() => deleteRole(s, orgId, role), 'role', `see: gatehouse org role list ${orgId}`));
  if (json) io.out(JSON.stringify({ organization: orgId, role, deleted: true, members_affected: affected }));
  else io.out(`Deleted role ${role} from ${orgId}; ${affected} member${affected === 1 ? '' : 's'} held it. ${PROPAGATION}`);
  return 0;
});

const roleList = withHelp(SUB_HELP.list, async (args, io) => {
  const {
    ids: [orgId = ''],
    json,
  } = parseIdArgs(args, ['org-id']);
  const roles = await withScope(io, async (s) => {
    await findOrganization(s.repos, orgId);
    return s.repos.organizationRoles.list(orgId);
  });
  if (json) {
    io.out(
      JSON.stringify(roles.map((r) => ({ name: r.name, permissions: r.permissions, created_at: isoTime(r.createdAt), updated_at: isoTime(r.updatedAt) }))),
    );
  } else if (roles.length === 0) io.out(`Organization ${orgId} has no roles yet. Define one with: gatehouse org role set --help`);
  else
    io.out(
      table(
        ['ROLE', 'PERMISSIONS'],
        roles.map((r) => [r.name, r.permissions.join(' ') || '(none)']),
      ),
    );
  return 0;
});

export async function orgRoleCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { set: roleSet, delete: roleDelete, list: roleList });
}

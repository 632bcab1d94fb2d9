import { subjectAttrCommand } from './claims.js';
import { parseArgs } from 'node:util';
import { dispatch, parseIdArgs, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { orgMemberCommand } from './org-member.js';
import { orgRoleCommand } from './org-role.js';
import { orgSsoCommand } from './org-sso.js';
import { createOrganization, deleteOrganization, updateOrganization } from '../services/organizations.js';
import { PROPAGATION, checkOrganizationId, checkOrganizationName, describeOrganization, findOrganization } from './org-common.js';

const USAGE = `Usage: gatehouse org <subcommand> [options]

Organizations, their roles and their members: what apps read from the "organizations" claim
of a user's ID token (scope "organizations") to check roles and permissions.

Subcommands:
  create --name NAME [--id ID]         create an organization (see: gatehouse org create --help)
  list                                 list every organization with its member and role counts
  show <org-id>                        show an organization, its roles and their permissions
  rename <org-id> --name NAME          change the display name (the id never changes)
  suspend <org-id>                     leave the organization out of every user's tokens
  resume <org-id>                      put a suspended organization back in tokens
  delete <org-id>                      delete the organization with its roles and memberships
  role set|delete|list                 the organization's roles (see: gatehouse org role --help)
  member add|set-roles|remove|list     its members (see: gatehouse org member --help)
  attr set|unset|list <org-id> ...     typed organization attributes (see: gatehouse org attr --help)
  sso set|show|clear <org-id> ...      single sign-on through a provider (see: gatehouse org sso --help)

Every subcommand accepts --json (one JSON document on stdout) and --help.`;

const SUB_HELP = {
  create: `Usage: gatehouse org create --name NAME [--id ID] [--json]

Creates an organization. Apps see its id in the "organizations" claim and check permissions
against it, so the id is permanent, and never given to another organization, even after a
delete; the name can be changed with "org rename".

Options:
  --name NAME   display name (required, max 200)
  --id ID       the id apps will see: 2 to 64 characters of a-z, 0-9, "-" and "_", starting and
                ending with a letter or digit, e.g. acme. Without --id one is generated
                (org_ and 20 hex digits).
  --json        print {"id", "name", "suspended", "created_at", "updated_at"}

Exits with 1 if an organization with this id exists or was deleted.`,
  list: `Usage: gatehouse org list [--json]

Lists every organization: id, name, suspended, members, roles. --json prints an array of
{"id", "name", "suspended", "members", "roles", "created_at", "updated_at"}.`,
  show: `Usage: gatehouse org show <org-id> [--json]

Shows an organization, its roles with their permissions, and how many members it has.
--json prints {"id", "name", "suspended", "created_at", "updated_at", "members",
"roles": [{"name", "permissions"}]}.`,
  rename: `Usage: gatehouse org rename <org-id> --name NAME [--json]

Changes the display name (max 200). The id, which apps see, stays the same.`,
  suspend: `Usage: gatehouse org suspend <org-id> [--json]

Leaves the organization out of the "organizations" claim of every member, from each app's next
token refresh or userinfo call, so permission checks in it fail. Roles and members are kept;
"org resume" puts it back. Running it again is harmless.`,
  resume: `Usage: gatehouse org resume <org-id> [--json]

Puts a suspended organization back in its members' tokens, from each app's next token refresh
or userinfo call. Running it again is harmless.`,
  delete: `Usage: gatehouse org delete <org-id> [--json]

Deletes the organization with its roles and memberships. It leaves the members' tokens at
each app's next token refresh or userinfo call. Its id is retired: apps may still hold data
under it, so no organization can be created with it again. Exits with 1 if there is no such
organization.`,
};

const orgCreate = withHelp(SUB_HELP.create, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { name: { type: 'string' }, id: { type: 'string' }, json: { type: 'boolean' } } }),
  );
  positionals(given, []);
  if (values.name === undefined) throw new CliUsageError('--name is required');
  const name = checkOrganizationName(values.name);
  const id = values.id === undefined ? undefined : checkOrganizationId(values.id);
  const created = await withScope(io, (s) => createOrganization(s, id === undefined ? { name } : { id, name }));
  if (values.json) io.out(JSON.stringify(describeOrganization(created)));
  else io.out(`Created organization ${created.name}.\n  id: ${created.id}`);
  return 0;
});

const orgList = withHelp(SUB_HELP.list, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const organizations = await withScope(io, (s) => s.repos.organizations.list());
  if (json) {
    io.out(JSON.stringify(organizations.map((o) => ({ ...describeOrganization(o), members: o.members, roles: o.roles }))));
  } else if (organizations.length === 0) io.out('No organizations yet. Create one with: gatehouse org create --help');
  else {
    const rows = organizations.map((o) => [o.id, o.name, o.suspended ? 'yes' : 'no', String(o.members), String(o.roles)]);
    io.out(table(['ID', 'NAME', 'SUSPENDED', 'MEMBERS', 'ROLES'], rows));
  }
  return 0;
});

const orgShow = withHelp(SUB_HELP.show, async (args, io) => {
  const {
    ids: [id = ''],
    json,
  } = parseIdArgs(args, ['org-id']);
  const { organization, roles, members } = await withScope(io, async (s) => {
    const found = await findOrganization(s.repos, id);
    return { organization: found, roles: await s.repos.organizationRoles.list(id), members: (await s.repos.memberships.list(id)).length };
  });
  if (json) {
    io.out(JSON.stringify({ ...describeOrganization(organization), members, roles: roles.map((r) => ({ name: r.name, permissions: r.permissions })) }));
    return 0;
  }
  const view = describeOrganization(organization);
  const lines = [
    `ID:         ${organization.id}`,
    `Name:       ${organization.name}`,
    `Suspended:  ${organization.suspended ? 'yes (left out of tokens)' : 'no'}`,
    `Members:    ${members}`,
    `Created:    ${view.created_at}`,
    '',
  ];
  if (roles.length === 0) lines.push('No roles yet. Define one with: gatehouse org role set --help');
  else
    lines.push(
      table(
        ['ROLE', 'PERMISSIONS'],
        roles.map((r) => [r.name, r.permissions.join(' ') || '(none)']),
      ),
    );
  io.out(lines.join('\n'));
  return 0;
});

const orgRename = withHelp(SUB_HELP.rename, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { name: { type: 'string' }, json: { type: 'boolean' } } }),
  );
  const [id = ''] = positionals(given, ['org-id']);
  if (values.name === undefined) throw new CliUsageError('--name is required');
  const name = checkOrganizationName(values.name);
  const { after: renamed } = await withScope(io, (s) => updateOrganization(s, id, { name }));
  io.out(values.json ? JSON.stringify(describeOrganization(renamed)) : `Renamed organization ${id} to ${renamed.name}.`);
  return 0;
});

function suspension(help: string, suspended: boolean) {
  return withHelp(help, async (args, io) => {
    const {
      ids: [id = ''],
      json,
    } = parseIdArgs(args, ['org-id']);
    const { before, after } = await withScope(io, (s) => updateOrganization(s, id, { suspended }));
    if (json) io.out(JSON.stringify(describeOrganization(after)));
    else if (before.suspended === suspended) io.out(`Organization ${id} was already ${suspended ? 'suspended' : 'active'}.`);
    else io.out(`${suspended ? 'Suspended' : 'Resumed'} organization ${id} (${after.name}). ${PROPAGATION}`);
    return 0;
  });
}

const orgDelete = withHelp(SUB_HELP.delete, async (args, io) => {
  const {
    ids: [id = ''],
    json,
  } = parseIdArgs(args, ['org-id']);
  await withScope(io, (s) => deleteOrganization(s, id));
  io.out(json ? JSON.stringify({ id, deleted: true }) : `Deleted organization ${id} with its roles and memberships. ${PROPAGATION}`);
  return 0;
});

export async function orgCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, {
    create: orgCreate,
    list: orgList,
    show: orgShow,
    rename: orgRename,
    suspend: suspension(SUB_HELP.suspend, true),
    resume: suspension(SUB_HELP.resume, false),
    delete: orgDelete,
    role: orgRoleCommand,
    member: orgMemberCommand,
    attr: subjectAttrCommand('organization'),
    sso: orgSsoCommand,
  });
}

import { parseArgs } from 'node:util';
import { deleteOrganizationSso, setOrganizationSso } from '../federation/sso.js';
import type { OrganizationSso } from '../store/repos/organization-sso.js';
import { dispatch, isoTime, parseIdArgs, parseOrUsage, positionals, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { findOrganization } from './org-common.js';

const USAGE = `Usage: gatehouse org sso <subcommand> [options]

An organization's single sign-on (enterprise SSO): the upstream provider its members sign in
through (gatehouse idp), whether they must, and the upstream claim that gives them roles in the
organization at each sign-in (docs/federation.md). The same settings as the Admin API's
PUT /organizations/{id}/sso and the console's organization page.

Subcommands:
  set <org-id> --provider ID [--required] [--role-claim CLAIM] [--role-map JSON]
                                       set them (replacing what was set)
  show <org-id>                        show them
  clear <org-id>                       remove them: members sign in any way again

Every subcommand accepts --json (one JSON document on stdout) and --help.`;

const SUB_HELP = {
  set: `Usage: gatehouse org sso set <org-id> --provider ID [--required] [--role-claim CLAIM] [--role-map JSON] [--json]

Sets the organization's single sign-on, replacing what was set before. Example:
  gatehouse org sso set acme --provider okta --required --role-claim groups \\
      --role-map '{"engineers": ["developer"], "it-admins": ["admin", "developer"]}'

Options:
  --provider ID        an upstream provider of the issuer (see: gatehouse idp list)
  --required           members may sign in through this provider only: their password,
                       passkey, mailed code and other providers are refused (people outside the
                       organization are not affected). Without it, members sign in any way and
                       the provider only gives roles.
  --role-claim CLAIM   the upstream claim whose values --role-map maps, e.g. groups (ask the
                       provider for it: add its scope to the provider's --scopes)
  --role-map JSON      a JSON object: each claim value to a list of the organization's roles.
                       At each sign-in through the provider, a user with a mapped value becomes
                       a member with exactly those roles; no mapped value changes nothing.
  --json               print {"organization", "provider_id", "required", "role_claim",
                       "role_map", "updated_at"}

Exits with 2 for input that is not valid (an unknown provider or role included), 1 if there is
no such organization.`,
  show: `Usage: gatehouse org sso show <org-id> [--json]

Shows the organization's single sign-on. --json prints {"organization", "provider_id",
"required", "role_claim", "role_map", "updated_at"}, or {"organization", "sso": null} when none
is set. Exits with 1 if there is no such organization.`,
  clear: `Usage: gatehouse org sso clear <org-id> [--json]

Removes the organization's single sign-on: members sign in any way the issuer allows again;
their memberships and roles stay. Exits with 1 if none was set.`,
};

function describe(sso: OrganizationSso): Record<string, unknown> {
  return {
    organization: sso.organizationId,
    provider_id: sso.providerId,
    required: sso.required,
    role_claim: sso.roleClaim,
    role_map: sso.roleMap,
    updated_at: isoTime(sso.updatedAt),
  };
}

function roleMapFrom(raw: string | undefined): Record<string, string[]> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new CliUsageError('--role-map must be JSON, e.g. \'{"engineers": ["developer"]}\'');
  }
  const isMap =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((roles) => Array.isArray(roles) && roles.every((r) => typeof r === 'string'));
  if (!isMap) throw new CliUsageError('--role-map must be a JSON object of lists of role names, e.g. \'{"engineers": ["developer"]}\'');
  return parsed as Record<string, string[]>;
}

function lines(sso: OrganizationSso): string {
  const mapped = Object.entries(sso.roleMap);
  return [
    `Organization:  ${sso.organizationId}`,
    `Provider:      ${sso.providerId}`,
    `Required:      ${sso.required ? 'yes (members sign in through the provider only)' : 'no (members sign in any way)'}`,
    `Role claim:    ${sso.roleClaim ?? '(none)'}`,
    `Role map:      ${mapped.length === 0 ? '(none)' : ''}`,
    ...mapped.map(([value, roles]) => `  ${value} -> ${roles.join(', ')}`),
  ].join('\n');
}

const ssoSet = withHelp(SUB_HELP.set, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        provider: { type: 'string' },
        required: { type: 'boolean' },
        'role-claim': { type: 'string' },
        'role-map': { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  const [orgId = ''] = positionals(given, ['org-id']);
  if (values.provider === undefined) throw new CliUsageError('missing --provider (see: gatehouse idp list)');
  const roleMap = roleMapFrom(values['role-map']);
  const sso = await withScope(io, async (s) => {
    await findOrganization(s.repos, orgId);
    return setOrganizationSso(s, orgId, {
      providerId: values.provider ?? '',
      required: values.required === true,
      roleClaim: values['role-claim'] ?? null,
      roleMap,
    });
  });
  io.out(values.json ? JSON.stringify(describe(sso)) : `Set single sign-on of ${orgId}.\n\n${lines(sso)}`);
  return 0;
});

const ssoShow = withHelp(SUB_HELP.show, async (args, io) => {
  const {
    ids: [orgId = ''],
    json,
  } = parseIdArgs(args, ['org-id']);
  const sso = await withScope(io, async (s) => {
    await findOrganization(s.repos, orgId);
    return s.repos.organizationSso.find(orgId);
  });
  if (json) io.out(JSON.stringify(sso ? describe(sso) : { organization: orgId, sso: null }));
  else io.out(sso ? lines(sso) : `Organization ${orgId} has no single sign-on: members sign in any way. Set it with: gatehouse org sso set --help`);
  return 0;
});

const ssoClear = withHelp(SUB_HELP.clear, async (args, io) => {
  const {
    ids: [orgId = ''],
    json,
  } = parseIdArgs(args, ['org-id']);
  await withScope(io, async (s) => {
    await findOrganization(s.repos, orgId);
    await deleteOrganizationSso(s, orgId);
  });
  io.out(json ? JSON.stringify({ organization: orgId, cleared: true }) : `Removed single sign-on of ${orgId}: members sign in any way again.`);
  return 0;
});

export async function orgSsoCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { set: ssoSet, show: ssoShow, clear: ssoClear });
}

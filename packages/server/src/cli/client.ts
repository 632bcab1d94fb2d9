import { clientCreate } from './client-create.js';
import { clientUpdate } from './client-update.js';
import { describeClient } from './client-view.js';
import { parseArgs } from 'node:util';
import { MAX_SECRET_OVERLAP, rotateClientSecret } from '../services/clients.js';
import { dispatch, parseIdArgs, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';

const USAGE = `Usage: gatehouse client <subcommand> [options]

Subcommands:
  create --name NAME --redirect-uri URI ...   register an application (see: gatehouse client create --help)
  list                                         list every client
  show <client-id>                             show one client's settings (never its secret)
  update <client-id> [options]                 change a client's settings (see: gatehouse client update --help)
  delete <client-id>                           delete a client with all its grants and tokens
  rotate-secret <client-id> [--overlap SECS]   issue a new secret; the old one works SECS more (default 0)

Every subcommand accepts --json (one JSON document on stdout) and --help.`;

const SUB_HELP = {
  list: `Usage: gatehouse client list [--json]

Lists every client: id, name, public or confidential, first-party.
--json prints an array of the objects "client show --json" prints.`,
  show: `Usage: gatehouse client show <client-id> [--json]

Shows a client's settings. The secret cannot be shown: only its hash is stored.`,
  delete: `Usage: gatehouse client delete <client-id> [--json]

Deletes the client; its grants, codes and tokens are deleted with it, so signed-in apps lose
access: at once on SQLite, within milliseconds on PostgreSQL, where running instances hear of
the change by notification (docs/production.md). Exits with 1 if there is no such client.`,
  'rotate-secret': `Usage: gatehouse client rotate-secret <client-id> [--overlap SECONDS] [--json]

Issues a new secret for a confidential client and prints it once. With --overlap (0 to 604800,
a week) the old secret keeps working that many seconds more, time to redeploy the application;
without it the old secret stops working at once on SQLite, within milliseconds on PostgreSQL
(as for delete). --json prints {"client_id", "client_secret", "previous_secret_expires_at"}
(an ISO time, or null when the old secret already stopped).
Exits with 1 if there is no such client or it is public (public clients have no secret),
with 2 for an overlap out of range.`,
};

const clientList = withHelp(SUB_HELP.list, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const clients = await withScope(io, (s) => s.repos.clients.list());
  if (json) io.out(JSON.stringify(clients.map(describeClient)));
  else if (clients.length === 0) io.out('No clients yet. Create one with: gatehouse client create --help');
  else {
    const rows = clients.map((c) => [c.id, c.name, c.isPublic ? 'public' : 'confidential', c.firstParty ? 'yes' : 'no']);
    io.out(table(['CLIENT ID', 'NAME', 'TYPE', 'FIRST-PARTY'], rows));
  }
  return 0;
});

const clientShow = withHelp(SUB_HELP.show, async (args, io) => {
  const {
    ids: [id = ''],
    json,
  } = parseIdArgs(args, ['client-id']);
  const client = await withScope(io, (s) => s.repos.clients.find(id));
  if (!client) throw new Error(`no client with id "${id}"`);
  const view = describeClient(client);
  if (json) {
    io.out(JSON.stringify(view));
    return 0;
  }
  const list = (items: string[]): string => (items.length ? items.join(`\n${' '.repeat(28)}`) : '(none)');
  io.out(
    [
      `Client ID:                  ${client.id}`,
      `Name:                       ${client.name}`,
      `Description:                ${client.description || '(none)'}`,
      `Type:                       ${client.isPublic ? 'public (no secret, PKCE)' : 'confidential (has a secret)'}`,
      `First-party:                ${client.firstParty ? 'yes (no consent screen)' : 'no'}`,
      `Grant types:                ${client.grantTypes.join(', ')}`,
      `Scopes:                     ${client.scopes.join(' ')}`,
      `Redirect URIs:              ${list(client.redirectUris)}`,
      `Post-logout redirect URIs:  ${list(client.postLogoutRedirectUris)}`,
      `ID token algorithm:         ${client.idTokenAlg}`,
      `PKCE:                       ${client.pkce}`,
      `Refresh reuse grace:        ${client.refreshReuseGrace ? `${client.refreshReuseGrace} s` : 'off'}`,
      `ID token claims:            ${client.idTokenClaims ? 'profile and email in the ID token too (compatibility)' : 'userinfo only (profile, email)'}`,
      `Logo:                       ${client.links.logoUri ?? '(none)'}`,
      `Privacy policy:             ${client.links.policyUri ?? '(none)'}`,
      `Terms of service:           ${client.links.tosUri ?? '(none)'}`,
      `Back-channel logout:        ${client.backchannelLogoutUri ? `${client.backchannelLogoutUri}${client.backchannelLogoutSessionRequired ? ' (sid required)' : ''}` : '(none)'}`,
      `Created:                    ${view.created_at}`,
    ].join('\n'),
  );
  return 0;
});

const clientDelete = withHelp(SUB_HELP.delete, async (args, io) => {
  const {
    ids: [id = ''],
    json,
  } = parseIdArgs(args, ['client-id']);
  const deleted = await withScope(io, (s) => s.repos.clients.delete(id));
  if (!deleted) throw new Error(`no client with id "${id}"`);
  io.out(json ? JSON.stringify({ client_id: id, deleted: true }) : `Deleted client ${id} with its grants and tokens.`);
  return 0;
});

const clientRotateSecret = withHelp(SUB_HELP['rotate-secret'], async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, overlap: { type: 'string' } } }),
  );
  const [id = ''] = positionals(given, ['client-id']);
  const overlap = values.overlap === undefined ? 0 : /^\d{1,7}$/.test(values.overlap) ? Number(values.overlap) : Number.NaN;
  if (!Number.isInteger(overlap) || overlap > MAX_SECRET_OVERLAP)
    throw new CliUsageError(`--overlap must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP}`);
  const rotated = await withScope(io, (s) => rotateClientSecret(s, id, { overlapSeconds: overlap }));
  const expires = rotated.previousSecretExpiresAt === null ? null : new Date(rotated.previousSecretExpiresAt * 1000).toISOString();
  if (values.json) {
    io.out(JSON.stringify({ client_id: id, client_secret: rotated.secret, previous_secret_expires_at: expires }));
    return 0;
  }
  io.out(
    [
      `New secret for client ${id}:`,
      '',
      `  Client secret:  ${rotated.secret}`,
      '',
      'The client secret is shown once, copy it now: Gatehouse keeps only a hash of it.',
      expires === null
        ? 'The old secret has stopped working; update the application now.'
        : `The old secret keeps working until ${expires}; update the application before then.`,
    ].join('\n'),
  );
  return 0;
});

export async function clientCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, {
    create: clientCreate,
    list: clientList,
    show: clientShow,
    update: clientUpdate,
    delete: clientDelete,
    'rotate-secret': clientRotateSecret,
  });
}

import { parseArgs } from 'node:util';
import { type IssuerChanges, createIssuer, deleteIssuer, updateIssuer } from '../issuers/service.js';
import { defaultSettings, resolveSettings } from '../issuers/settings.js';
import type { Services } from '../services.js';
import type { IssuerRecord } from '../store/repos/issuers.js';
import { dispatch, isoTime, parseIdArgs, parseOrUsage, positionals, table, withHelp, withServices } from './common.js';
import { type CliIo, CliUsageError } from './io.js';

const USAGE = `Usage: gatehouse issuer <subcommand> [options]

Issuers (tenants): each has its own URL, discovery, signing keys, clients, users,
organizations, sessions and settings. The default issuer is GATEHOUSE_ISSUER itself; every other
lives at <GATEHOUSE_ISSUER>/<id>, or at https://<domain> for a custom domain it registers.

Subcommands:
  create --id ID --name NAME [--domain HOST] [settings]   create an issuer
  list                                 list every issuer with its URL
  show <issuer-id>                     show an issuer's URLs and effective settings
  update <issuer-id> [settings]        change its name, settings or domains
  delete <issuer-id> [--force]         delete an issuer and everything in it

Other commands work on the default issuer, or on the one named by the global --issuer ID
(e.g. gatehouse client list --issuer acme). Every subcommand accepts --json and --help.`;

/** Flags of settings, with the name validateSettings knows them by and how to read the value. */
const SETTING_FLAGS: Record<string, { key: string; number?: boolean; nullable?: boolean; onOff?: boolean; describe: string }> = {
  'brand-color': { key: 'brandColor', describe: 'brand colour, e.g. #1f4fd1 (needs WCAG AA contrast with white)' },
  'background-color': { key: 'backgroundColor', describe: 'page background, e.g. #f5f6f8' },
  'logo-url': { key: 'logoUrl', nullable: true, describe: 'https URL of the logo ("" to remove)' },
  'support-url': { key: 'supportUrl', nullable: true, describe: 'https URL of the support page ("" to remove)' },
  'privacy-url': { key: 'privacyUrl', nullable: true, describe: 'https URL of the privacy policy ("" to remove)' },
  'access-token-ttl': { key: 'accessTokenTtl', number: true, describe: 'access token lifetime, seconds (60-86400)' },
  'id-token-ttl': { key: 'idTokenTtl', number: true, describe: 'ID token lifetime, seconds (60-86400)' },
  'refresh-token-ttl': { key: 'refreshTokenTtl', number: true, describe: 'refresh token chain lifetime, seconds' },
  'code-ttl': { key: 'codeTtl', number: true, describe: 'authorization code lifetime, seconds (10-600)' },
  'session-ttl': { key: 'sessionTtl', number: true, describe: 'browser session lifetime, seconds' },
  'login-max-failures': { key: 'loginMaxFailures', number: true, describe: 'failed sign-ins per account and window' },
  'login-window': { key: 'loginWindow', number: true, describe: 'the sign-in throttle window, seconds' },
  'sign-up': { key: 'signUp', describe: 'self-service sign-up: off, open or invitation' },
  mfa: { key: 'mfa', describe: 'second factor: off, optional or required' },
  'mail-from-name': { key: 'mailFromName', describe: 'the name mail is sent under' },
  'closed-accounts': { key: 'closedAccounts', describe: 'when a user closes their account: delete or anonymise' },
  'audit-retention-days': { key: 'auditRetentionDays', number: true, describe: 'days the audit log is kept (0: for ever; default 365)' },
  'email-code': { key: 'emailCode', onOff: true, describe: 'offer "Email me a code" on the sign-in page: on or off' },
  'remember-device': { key: 'rememberDevice', onOff: true, describe: 'offer "Remember this device for 30 days": on or off' },
};

const SETTINGS_HELP = Object.entries(SETTING_FLAGS)
  .map(([flag, { describe }]) => `  --${flag.padEnd(20)} ${describe}`)
  .join('\n');

const SUB_HELP = {
  create: `Usage: gatehouse issuer create --id ID --name NAME [--domain HOST ...] [settings] [--json]

Creates an issuer with its own signing keys. Its URL is <GATEHOUSE_ISSUER>/<ID>, or
https://<HOST> with --domain (requests whose Host is exactly HOST then resolve to it).

Options:
  --id ID                 2 to 63 characters of a-z, 0-9 and "-", starting with a letter or
                          digit; permanent, and never given to another issuer after a delete
  --name NAME             display name on its pages and mail (max 60)
  --domain HOST           a custom domain (repeatable)
${SETTINGS_HELP}
  --json                  print the issuer as JSON

Settings not given are the environment's (GATEHOUSE_ACCESS_TOKEN_TTL, ...).`,
  list: `Usage: gatehouse issuer list [--json]

Lists every issuer: id, name, URL.`,
  show: `Usage: gatehouse issuer show <issuer-id> [--json]

Shows an issuer's URLs, domains and effective settings (its own, else the environment's).`,
  update: `Usage: gatehouse issuer update <issuer-id> [--name NAME] [--add-domain HOST] [--remove-domain HOST] [settings] [--json]

Changes an issuer. Running servers see the change within 30 seconds.

Options:
  --name NAME             display name (max 60)
  --add-domain HOST       register a custom domain (repeatable)
  --remove-domain HOST    remove one (repeatable)
${SETTINGS_HELP}`,
  delete: `Usage: gatehouse issuer delete <issuer-id> [--force] [--json]

Deletes an issuer with its clients, users, organizations, sessions, tokens and keys. Refused
while it has users, unless --force. Its id is never given to another issuer. The default issuer
cannot be deleted.`,
};

function describe(services: Services, issuer: IssuerRecord): Record<string, unknown> {
  const settings = resolveSettings(defaultSettings(services.config), issuer.name, issuer.settings);
  return {
    id: issuer.id,
    name: settings.brand.name,
    url: services.scopes.urlOf(issuer).url,
    domains: issuer.domains,
    settings,
    created_at: isoTime(issuer.createdAt),
    updated_at: isoTime(issuer.updatedAt),
  };
}

const settingOptions = Object.fromEntries(Object.keys(SETTING_FLAGS).map((flag) => [flag, { type: 'string' as const }]));

/** The settings flags given, as validateSettings takes them. */
function settingsFrom(values: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [flag, { key, number, nullable, onOff }] of Object.entries(SETTING_FLAGS)) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    if (onOff) {
      if (raw !== 'on' && raw !== 'off') throw new CliUsageError(`--${flag} must be on or off`);
      out[key] = raw === 'on';
    } else if (number) {
      if (!/^\d{1,9}$/.test(raw)) throw new CliUsageError(`--${flag} must be a whole number`);
      out[key] = Number(raw);
    } else out[key] = nullable && raw === '' ? null : raw;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function printIssuer(io: CliIo, view: Record<string, unknown>): void {
  const settings = view.settings as ReturnType<typeof resolveSettings>;
  io.out(`${view.name} (${view.id})
  URL:        ${view.url}
  Discovery:  ${view.url}/.well-known/openid-configuration
  Domains:    ${(view.domains as string[]).join(', ') || '(none)'}
  Tokens:     access ${settings.accessTokenTtl} s, ID ${settings.idTokenTtl} s, refresh ${settings.refreshTokenTtl} s, code ${settings.codeTtl} s
  Sessions:   ${settings.sessionTtl} s; sign-in throttle ${settings.login.maxFailures} per ${settings.login.windowSeconds} s
  Sign-up:    ${settings.signUp}; MFA: ${settings.mfa}; email codes: ${settings.emailCode ? 'on' : 'off'}; remember device: ${settings.rememberDevice ? 'on' : 'off'}
  Brand:      ${settings.brand.color} on ${settings.brand.background}${settings.brand.logoUrl ? `, logo ${settings.brand.logoUrl}` : ''}`);
}

const issuerCreate = withHelp(SUB_HELP.create, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { id: { type: 'string' }, name: { type: 'string' }, domain: { type: 'string', multiple: true }, json: { type: 'boolean' }, ...settingOptions },
    }),
  );
  positionals(given, []);
  if (values.id === undefined) throw new CliUsageError('--id is required');
  if (values.name === undefined) throw new CliUsageError('--name is required');
  const { id, name } = values;
  const view = await withServices(io, async (services) =>
    describe(services, await createIssuer(services, { id, name, settings: settingsFrom(values), domains: values.domain ?? [] })),
  );
  if (values.json) io.out(JSON.stringify(view));
  else {
    io.out('Created issuer.');
    printIssuer(io, view);
  }
  return 0;
});

const issuerList = withHelp(SUB_HELP.list, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const views = await withServices(io, async (services) => (await services.scopes.issuers.list()).map((i) => describe(services, i)));
  if (json) io.out(JSON.stringify(views));
  else
    io.out(
      table(
        ['ID', 'NAME', 'URL'],
        views.map((v) => [String(v.id), String(v.name), String(v.url)]),
      ),
    );
  return 0;
});

const issuerShow = withHelp(SUB_HELP.show, async (args, io) => {
  const {
    ids: [id = ''],
    json,
  } = parseIdArgs(args, ['issuer-id']);
  const view = await withServices(io, async (services) => {
    const found = await services.scopes.issuers.find(id);
    return found && describe(services, found);
  });
  if (!view) {
    io.err(`gatehouse issuer show: there is no issuer "${id.slice(0, 80)}"`);
    return 1;
  }
  if (json) io.out(JSON.stringify(view));
  else printIssuer(io, view);
  return 0;
});

const issuerUpdate = withHelp(SUB_HELP.update, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        'add-domain': { type: 'string', multiple: true },
        'remove-domain': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        ...settingOptions,
      },
    }),
  );
  const [id = ''] = positionals(given, ['issuer-id']);
  const changes: IssuerChanges = {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(settingsFrom(values) ? { settings: settingsFrom(values) } : {}),
    addDomains: values['add-domain'] ?? [],
    removeDomains: values['remove-domain'] ?? [],
  };
  if (changes.name === undefined && !changes.settings && changes.addDomains?.length === 0 && changes.removeDomains?.length === 0) {
    throw new CliUsageError('nothing to change: give --name, a setting, --add-domain or --remove-domain');
  }
  const view = await withServices(io, async (services) => {
    const updated = await updateIssuer(services, id, changes);
    return updated && describe(services, updated);
  });
  if (!view) {
    io.err(`gatehouse issuer update: there is no issuer "${id.slice(0, 80)}"`);
    return 1;
  }
  if (values.json) io.out(JSON.stringify(view));
  else {
    io.out('Updated issuer.');
    printIssuer(io, view);
  }
  return 0;
});

const issuerDelete = withHelp(SUB_HELP.delete, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { force: { type: 'boolean' }, json: { type: 'boolean' } } }),
  );
  const [id = ''] = positionals(given, ['issuer-id']);
  const deleted = await withServices(io, (services) => deleteIssuer(services, id, values.force ?? false));
  if (!deleted) {
    io.err(`gatehouse issuer delete: there is no issuer "${id.slice(0, 80)}"`);
    return 1;
  }
  if (values.json) io.out(JSON.stringify({ id, deleted: true }));
  else io.out(`Deleted issuer ${id}. Its id is never given to another issuer.`);
  return 0;
});

export function issuerCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { create: issuerCreate, list: issuerList, show: issuerShow, update: issuerUpdate, delete: issuerDelete });
}

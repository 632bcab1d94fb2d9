import { parseArgs } from 'node:util';
import { providerView } from '../admin/api/upstream-providers.js';
import { type ProviderChange, createProvider, deleteProvider, updateProvider } from '../federation/providers.js';
import { presetNames } from '../federation/presets.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';
import { dispatch, parseIdArgs, parseOrUsage, positionals, readStdin, table, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';

const USAGE = `Usage: gatehouse idp <subcommand> [options]

Subcommands:
  create --id ID (--preset NAME | --issuer-url URL | --kind oauth2 ...) --client-id ID --client-secret-stdin
                                 add an upstream identity provider ("Sign in with ...")
  list                           list the issuer's upstream providers
  update <id> [options]          change one (--enabled false turns it off at once)
  delete <id>                    delete one, and the identities linked through it

Presets: ${presetNames().join(', ')}. Sign-in through a provider starts at <issuer>/signin/<id>
and from a button on the sign-in page; register <issuer>/signin/<id>/callback at the provider
(docs/federation.md). Every subcommand accepts --json and --help; --issuer ID picks the issuer.`;

const PROVIDER_OPTIONS = {
  name: { type: 'string' },
  'issuer-url': { type: 'string' },
  'authorization-endpoint': { type: 'string' },
  'token-endpoint': { type: 'string' },
  'userinfo-endpoint': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret-stdin': { type: 'boolean' },
  'apple-team-id': { type: 'string' },
  'apple-key-id': { type: 'string' },
  'apple-private-key-stdin': { type: 'boolean' },
  scopes: { type: 'string' },
  claims: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const OPTIONS_HELP = `  --name TEXT                    the button's label (default: the preset's name, or the id)
  --issuer-url URL               an OpenID Provider's issuer: endpoints and keys are discovered
  --authorization-endpoint URL   \\
  --token-endpoint URL            } a plain OAuth 2.0 provider's endpoints (--kind oauth2)
  --userinfo-endpoint URL        /
  --client-id ID                 the client id the provider gave you
  --client-secret-stdin          read the client secret from stdin (stored sealed; there is no --client-secret flag)
  --apple-team-id ID             Apple preset: the team id; with --apple-key-id ID, the key's id
  --apple-key-id ID              (the Apple preset has no client secret: a JWT is signed per request)
  --apple-private-key-stdin      Apple preset: read the .p8 key from stdin (stored sealed)
  --scopes LIST                  space- or comma-separated (default: openid email profile)
  --claims MAP                   which upstream claims to read, e.g. subject=id,email=mail,name=login
                                 (keys: subject, email, emailVerified, name, picture)
  --trusted-for-linking BOOL     a verified email from it links to the existing account of that email
                                 without asking that account's password (default false)
  --trust-amr BOOL               its amr counts toward the MFA policy (default false)
  --enabled BOOL                 default true
  --default off|link|always      the issuer's default provider (one at most): link, <issuer>/signin
                                 goes to it; always, sign-ins without a login_hint go to it too`;

const HELP = {
  create: `Usage: gatehouse idp create --id ID [--preset NAME | --kind oidc|oauth2] --client-id ID --client-secret-stdin [options] [--json]

Adds an upstream identity provider to the issuer. ID is lower-case letters, digits and dashes;
it appears in the sign-in URL <issuer>/signin/ID. Example:
  printf '%s' "$SECRET" | gatehouse idp create --issuer acme --id google --preset google \\
      --client-id 123.apps.googleusercontent.com --client-secret-stdin
  gatehouse idp create --issuer acme --id apple --preset apple --client-id com.example.web \
      --apple-team-id TEAM123456 --apple-key-id KEY1234567 --apple-private-key-stdin < AuthKey_KEY1234567.p8

Options:
  --preset NAME                  one of: ${presetNames().join(', ')}
  --kind oidc|oauth2             oidc (default) or a plain OAuth 2.0 provider with a userinfo endpoint
${OPTIONS_HELP}

Exits with 2 for input that is not valid, 1 if the id is taken.`,
  list: `Usage: gatehouse idp list [--json]

Lists the issuer's upstream providers: id, kind, name, whether trusted for linking, and state.`,
  update: `Usage: gatehouse idp update <id> [options] [--json]

Changes an upstream provider; only the options given change.

Options:
${OPTIONS_HELP}`,
  delete: `Usage: gatehouse idp delete <id> [--json]

Deletes the provider and the identities linked through it; their users sign in another way
afterwards. Exits with 1 if there is no such provider.`,
};

/** The Admin API's view of a provider, less the claim mapping and update time the CLI does not show. */
function describe(p: UpstreamProvider, issuerUrl: string): Record<string, unknown> {
  const { claim_mapping: _mapping, updated_at: _updated, ...shown } = providerView(issuerUrl, p);
  return shown;
}

function bool(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new CliUsageError(`--${name} must be true or false`);
}

const CLAIM_KEYS = new Set(['subject', 'email', 'emailVerified', 'name', 'picture']);

function claims(raw: string | undefined): ProviderChange['claimMapping'] {
  if (raw === undefined) return undefined;
  const mapping: Record<string, string> = {};
  for (const pair of raw.split(',').filter((p) => p.trim() !== '')) {
    const [key = '', value = ''] = pair.split('=').map((s) => s.trim());
    if (!CLAIM_KEYS.has(key) || value === '') throw new CliUsageError(`--claims takes KEY=CLAIM pairs, KEY one of ${[...CLAIM_KEYS].join(', ')}`);
    mapping[key] = value;
  }
  return mapping;
}

/** Refuses a --client-secret flag before parsing: its value would already be in shell history. */
function refuseSecretFlag(args: string[]): void {
  if (args.some((a) => a === '--client-secret' || a.startsWith('--client-secret='))) {
    throw new CliUsageError('there is no --client-secret flag (it would leak into shell history); pipe the secret in with --client-secret-stdin');
  }
}

async function keyFromStdin(io: CliIo): Promise<string> {
  if ((io.stdin as { isTTY?: boolean }).isTTY) throw new CliUsageError('--apple-private-key-stdin expects the .p8 file piped in, not typed at a terminal');
  const key = (await readStdin(io.stdin, 8192)).trim();
  if (key === '') throw new CliUsageError('--apple-private-key-stdin read nothing');
  return key;
}

async function secretFromStdin(io: CliIo): Promise<string> {
  if ((io.stdin as { isTTY?: boolean }).isTTY) throw new CliUsageError('--client-secret-stdin expects the secret piped in, not typed at a terminal');
  const secret = (await readStdin(io.stdin, 8192)).replace(/\r?\n$/, '');
  if (secret === '') throw new CliUsageError('--client-secret-stdin read nothing');
  return secret;
}

type Parsed = { values: Record<string, string | boolean | undefined> };

async function changeFrom(values: Parsed['values'], io: CliIo): Promise<ProviderChange> {
  const s = (k: string): string | undefined => values[k] as string | undefined;
  if (values['client-secret-stdin'] && values['apple-private-key-stdin'])
    throw new CliUsageError('only one of --client-secret-stdin and --apple-private-key-stdin');
  const apple = {
    teamId: s('apple-team-id'),
    keyId: s('apple-key-id'),
    privateKey: values['apple-private-key-stdin'] ? await keyFromStdin(io) : undefined,
  };
  return {
    apple,
    displayName: s('name'),
    issuerUrl: s('issuer-url'),
    authorizationEndpoint: s('authorization-endpoint'),
    tokenEndpoint: s('token-endpoint'),
    userinfoEndpoint: s('userinfo-endpoint'),
    clientId: s('client-id'),
    clientSecret: values['client-secret-stdin'] ? await secretFromStdin(io) : undefined,
    scopes: s('scopes')?.split(/[\s,]+/),
    claimMapping: claims(s('claims')),
    trustedForLinking: bool('trusted-for-linking', s('trusted-for-linking')),
    trustAmr: bool('trust-amr', s('trust-amr')),
    enabled: bool('enabled', s('enabled')),
    defaultSignIn: defaultFrom(s('default')),
  };
}

function defaultFrom(raw: string | undefined): ProviderChange['defaultSignIn'] {
  if (raw === undefined) return undefined;
  if (raw === 'off' || raw === 'link' || raw === 'always') return raw;
  throw new CliUsageError('--default must be off, link or always');
}

const options = {
  ...PROVIDER_OPTIONS,
  default: { type: 'string' },
  'trusted-for-linking': { type: 'string' },
  'trust-amr': { type: 'string' },
  enabled: { type: 'string' },
} as const;

const idpCreate = withHelp(HELP.create, async (args, io) => {
  refuseSecretFlag(args);
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { ...options, id: { type: 'string' }, preset: { type: 'string' }, kind: { type: 'string' } },
    }),
  );
  positionals(given, []);
  if (values.id === undefined) throw new CliUsageError('missing --id');
  if (values['client-id'] === undefined) throw new CliUsageError('missing --client-id');
  if (values.preset === 'apple') {
    if (!values['apple-private-key-stdin']) throw new CliUsageError('missing --apple-private-key-stdin (pipe the .p8 key in)');
  } else if (!values['client-secret-stdin']) throw new CliUsageError('missing --client-secret-stdin (pipe the client secret in)');
  if (values.kind !== undefined && values.kind !== 'oidc' && values.kind !== 'oauth2') throw new CliUsageError('--kind must be oidc or oauth2');
  const change = await changeFrom(values, io);
  const { provider, url } = await withScope(io, async (s) => ({
    provider: await createProvider(s, {
      ...change,
      id: values.id ?? '',
      preset: values.preset,
      kind: values.kind as 'oidc' | 'oauth2' | undefined,
      clientId: values['client-id'] ?? '',
      clientSecret: values.preset === 'apple' ? change.clientSecret : (change.clientSecret ?? ''),
    }),
    url: s.url,
  }));
  if (values.json) io.out(JSON.stringify(describe(provider, url)));
  else
    io.out(
      [
        `Added upstream provider ${provider.id} (${provider.displayName}).`,
        '',
        `  Register this redirect URI at the provider:  ${url}/signin/${provider.id}/callback`,
        `  Sign-in link:                                ${url}/signin/${provider.id}`,
      ].join('\n'),
    );
  return 0;
});

const idpList = withHelp(HELP.list, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const { providers, url } = await withScope(io, async (s) => ({ providers: await s.repos.upstreamProviders.list(), url: s.url }));
  if (json) io.out(JSON.stringify(providers.map((p) => describe(p, url))));
  else if (providers.length === 0) io.out('No upstream providers yet. Add one with: gatehouse idp create --help');
  else
    io.out(
      table(
        ['ID', 'KIND', 'NAME', 'LINKING', 'STATE'],
        providers.map((p) => [p.id, p.preset ?? p.kind, p.displayName, p.trustedForLinking ? 'trusted' : 'asks password', p.enabled ? 'enabled' : 'disabled']),
      ),
    );
  return 0;
});

const idpUpdate = withHelp(HELP.update, async (args, io) => {
  refuseSecretFlag(args);
  const { values, positionals: given } = parseOrUsage(() => parseArgs({ args, strict: true, allowPositionals: true, options }));
  const [id = ''] = positionals(given, ['id']);
  const change = await changeFrom(values, io);
  const { provider, url } = await withScope(io, async (s) => ({ provider: await updateProvider(s, id, change), url: s.url }));
  io.out(values.json ? JSON.stringify(describe(provider, url)) : `Updated upstream provider ${provider.id}.`);
  return 0;
});

const idpDelete = withHelp(HELP.delete, async (args, io) => {
  const {
    ids: [id = ''],
    json,
  } = parseIdArgs(args, ['id']);
  await withScope(io, (s) => deleteProvider(s, id));
  io.out(json ? JSON.stringify({ id, deleted: true }) : `Deleted upstream provider ${id} and the identities linked through it.`);
  return 0;
});

export async function idpCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { create: idpCreate, list: idpList, update: idpUpdate, delete: idpDelete });
}

import { parseArgs } from 'node:util';
import type { HookDefinition } from '../claims/hook.js';
import { ClaimsService } from '../claims/service.js';
import type { IssuerScope } from '../issuers/scope.js';
import { dispatch, parseIdArgs, parseOrUsage, positionals, readStdin, withHelp, withScope } from './common.js';
import { deleteDefinition, listDefinitions } from './definition-commands.js';
import { type CliIo, CliUsageError } from './io.js';

// The claims hooks and the Stripe connection of an issuer: the same ClaimsService calls as the
// Admin API's /claims-hooks and /integrations/stripe (claims/service.ts), so the checks are one.

const claimsOf = (scope: IssuerScope): ClaimsService => new ClaimsService(scope.services, scope.id);

/** A comma-separated list (`--claims a,b`), empty entries dropped. */
function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

// ---- gatehouse hook ----

const HOOK_USAGE = `Usage: gatehouse hook <subcommand> [options]

Subcommands:
  set <name> --url URL --claims A,B [--scopes S,T] [--failure deny|omit]
                                 register (or replace) a claims hook; a new one's secret is printed once
  list                           list the issuer's claims hooks (never their secrets)
  delete <name>                  delete one

A claims hook is asked for extra claims at every code exchange and refresh, signed as a Standard
Webhook; see docs/scopes-and-claims.md#claims-hooks. Every subcommand accepts --json and --help.`;

const HOOK_HELP = {
  set: `Usage: gatehouse hook set <name> --url URL --claims A,B [--scopes S,T] [--failure deny|omit] [--json]

Registers a claims hook of the issuer, or replaces the one of that name (its secret stays).
  --url      the https endpoint called (the webhook rules: no private, loopback or reserved
             address unless its host is in GATEHOUSE_WEBHOOK_ALLOWED_HOSTS)
  --claims   the claims it may add, comma-separated; anything else in its answer is dropped
  --scopes   call it only for grants with one of these scopes (default: every grant)
  --failure  deny (default): no tokens while it fails (503); omit: tokens without its claims
A new hook's signing secret (whsec_…) is printed this once: verify its requests with it.
Exits with 2 when the URL, a claim or a scope is refused.`,
  list: `Usage: gatehouse hook list [--json]

Lists the issuer's claims hooks: name, URL, claims, scopes and failure policy.`,
  delete: `Usage: gatehouse hook delete <name> [--json]

Deletes the hook. Exits with 1 when there is none, or while an API or a scope releases its claims.`,
};

function hookView(h: HookDefinition): Record<string, unknown> {
  return { name: h.name, url: h.url, claims: h.claims, scopes: h.scopes, failure: h.failure };
}

const hookSet = withHelp(HOOK_HELP.set, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        claims: { type: 'string' },
        scopes: { type: 'string' },
        failure: { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  const [name = ''] = positionals(given, ['name']);
  if (values.url === undefined) throw new CliUsageError('missing --url (the endpoint the hook is called at)');
  if (values.claims === undefined) throw new CliUsageError('missing --claims (the claims the hook may add, comma-separated)');
  if (values.failure !== undefined && values.failure !== 'deny' && values.failure !== 'omit') throw new CliUsageError('--failure is deny or omit');
  const { hook, created, secret } = await withScope(io, (s) =>
    claimsOf(s).putHook({
      name,
      url: values.url,
      claims: list(values.claims),
      ...(values.scopes === undefined ? {} : { scopes: list(values.scopes) }),
      ...(values.failure === undefined ? {} : { failure: values.failure }),
    }),
  );
  if (values.json) {
    io.out(JSON.stringify({ ...hookView(hook), created, secret: secret ?? null }));
    return 0;
  }
  io.out(`${created ? 'Registered' : 'Replaced'} claims hook ${hook.name} at ${hook.url} (claims: ${hook.claims.join(' ')}; on failure: ${hook.failure})`);
  if (secret) io.out(`Signing secret (shown only now; verify the hook's requests with it):\n${secret}`);
  return 0;
});

const hookList = listDefinitions({
  help: HOOK_HELP.list,
  load: async (s) => (await claimsOf(s).config()).hooks ?? [],
  view: hookView,
  empty: 'No claims hooks yet. Register one with: gatehouse hook set --help',
  headers: ['NAME', 'URL', 'CLAIMS', 'SCOPES', 'FAILURE'],
  cells: (h) => [h.name, h.url, h.claims.join(' '), h.scopes.join(' ') || '(every grant)', h.failure],
});

const hookDelete = deleteDefinition({
  help: HOOK_HELP.delete,
  key: 'name',
  remove: (s, name) => claimsOf(s).deleteHook(name),
  done: (name) => `Deleted claims hook ${name}.`,
});

export function hookCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, HOOK_USAGE, { set: hookSet, list: hookList, delete: hookDelete });
}

// ---- gatehouse stripe ----

// A webhook signing secret is far shorter; this only bounds what is read.
const SECRET_STDIN_LIMIT = 4 * 1024;

const STRIPE_USAGE = `Usage: gatehouse stripe <subcommand> [options]

Subcommands:
  connect --webhook-secret-stdin [--target user|organization]
                                 connect the issuer to Stripe (the endpoint's signing secret, piped in)
  show                           whether the issuer is connected, and for whom it keeps subscriptions
  disconnect                     forget the secret (the subscription attribute and scope stay)

Stripe sends customer.subscription.* events to <issuer>/integrations/stripe/webhook; see
docs/scopes-and-claims.md#subscription-claims-from-stripe. Every subcommand accepts --json and --help.`;

const STRIPE_HELP = {
  connect: `Usage: gatehouse stripe connect --webhook-secret-stdin [--target user|organization] [--json]

Connects the issuer to Stripe, or replaces the secret of its connection.
  --webhook-secret-stdin  read the webhook endpoint's signing secret (whsec_…, from Stripe's
                          dashboard) from standard input: a flag would leave it in shell history
  --target                subscriptions belong to users (default) or organizations, matched by
                          their stripe_customer attribute (or a customer's email, for users)
Defines the stripe_customer and subscription attributes and the subscription scope when missing.
Example: printf %s "$STRIPE_WEBHOOK_SECRET" | gatehouse stripe connect --webhook-secret-stdin`,
  show: `Usage: gatehouse stripe show [--json]

Shows whether the issuer is connected to Stripe and whether subscriptions belong to users or
organizations (never the secret). Exits with 1 when it is not connected.`,
  disconnect: `Usage: gatehouse stripe disconnect [--json]

Forgets the webhook secret: the webhook answers 404 from then on. The attributes, the
subscription scope and the subscriptions kept stay. Exits with 1 when it is not connected.`,
};

const stripeConnect = withHelp(STRIPE_HELP.connect, async (args, io) => {
  if (args.some((a) => a === '--webhook-secret' || a.startsWith('--webhook-secret='))) {
    throw new CliUsageError('there is no --webhook-secret flag (it would leak into shell history); pipe the secret in with --webhook-secret-stdin');
  }
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { 'webhook-secret-stdin': { type: 'boolean' }, target: { type: 'string' }, json: { type: 'boolean' } },
    }),
  );
  positionals(given, []);
  if (!values['webhook-secret-stdin']) throw new CliUsageError('missing --webhook-secret-stdin (pipe in the signing secret of the Stripe webhook endpoint)');
  if (values.target !== undefined && values.target !== 'user' && values.target !== 'organization') throw new CliUsageError('--target is user or organization');
  if ((io.stdin as { isTTY?: boolean }).isTTY) throw new CliUsageError('--webhook-secret-stdin expects the secret piped in, not typed at a terminal');
  const webhookSecret = (await readStdin(io.stdin, SECRET_STDIN_LIMIT)).trim();
  const target = values.target ?? 'user';
  await withScope(io, (s) => claimsOf(s).connectStripe({ webhookSecret, target }));
  io.out(values.json ? JSON.stringify({ connected: true, target }) : `Connected to Stripe: subscriptions are kept per ${target}.`);
  return 0;
});

const stripeShow = withHelp(STRIPE_HELP.show, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const connection = await withScope(io, (s) => claimsOf(s).stripeConnection());
  if (json) io.out(JSON.stringify(connection ? { connected: true, target: connection.target } : { connected: false }));
  else io.out(connection ? `Connected to Stripe: subscriptions are kept per ${connection.target}.` : 'Not connected to Stripe.');
  return connection ? 0 : 1;
});

const stripeDisconnect = withHelp(STRIPE_HELP.disconnect, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  await withScope(io, (s) => claimsOf(s).disconnectStripe());
  io.out(json ? JSON.stringify({ connected: false }) : 'Disconnected from Stripe.');
  return 0;
});

export function stripeCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, STRIPE_USAGE, { connect: stripeConnect, show: stripeShow, disconnect: stripeDisconnect });
}

import { parseArgs } from 'node:util';
import type { WebhookEndpoint } from '../store/repos/webhooks.js';
import { MAX_SECRET_OVERLAP, DEFAULT_SECRET_OVERLAP, createWebhook, deleteWebhook, replayWebhook, rotateWebhookSecret } from '../webhooks/service.js';
import { dispatch, isoTime, parseIdArgs, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';

const USAGE = `Usage: gatehouse webhook <subcommand> [options]

Subcommands:
  create --url URL --events LIST [--description TEXT]   register an endpoint; prints its signing secret once
  list                                 list the issuer's endpoints
  delete <id>                          delete an endpoint, its delivery log and what it still had to receive
  rotate-secret <id> [--overlap SECS]  a new signing secret; the old one signs too for SECS (default ${DEFAULT_SECRET_OVERLAP})
  replay <id> <event-id>               deliver an event to the endpoint again (a dead letter, or one delivered before)

Events are delivered as Standard Webhooks (docs/events.md). Every subcommand accepts --json
and --help; --issuer ID (before the subcommand) picks the issuer.`;

const HELP = {
  create: `Usage: gatehouse webhook create --url URL --events LIST [--description TEXT] [--json]

Registers a webhook endpoint of the issuer and prints its signing secret (whsec_…) once: only a
sealed copy is kept. LIST is comma-separated event types, <group>.* for a group, or * for all:
  --events grant.revoked,user.*
The URL must be https://, and its host must resolve to public addresses only, unless the host
is in GATEHOUSE_WEBHOOK_ALLOWED_HOSTS (then http:// works too).
--json prints the endpoint with "secret". Exits with 2 for a URL or event list that is not valid.`,
  list: `Usage: gatehouse webhook list [--json]

Lists the issuer's endpoints: id, URL, events, and whether they are enabled (or why not).`,
  delete: `Usage: gatehouse webhook delete <id> [--json]

Deletes the endpoint, its delivery log, and the deliveries still to make to it. Exits with 1 if
there is no such endpoint.`,
  'rotate-secret': `Usage: gatehouse webhook rotate-secret <id> [--overlap SECONDS] [--json]

Makes a new signing secret and prints it once. For --overlap seconds (0 to ${MAX_SECRET_OVERLAP}, default
${DEFAULT_SECRET_OVERLAP}) deliveries are signed with both secrets (two signatures in webhook-signature), so
receivers can switch to the new one without missing a delivery.`,
  replay: `Usage: gatehouse webhook replay <id> <event-id> [--json]

Queues the event for the endpoint again, due now: a dead letter, or a delivery made before (it
arrives with the same webhook-id). A running server delivers it within seconds. Event ids are
in the endpoint's delivery log (console, Admin API) and in "gatehouse audit list".`,
};

function describe(e: WebhookEndpoint): Record<string, unknown> {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    disabled_reason: e.disabledReason,
    failing_since: isoTime(e.failingSince),
    created_at: isoTime(e.createdAt),
  };
}

const webhookCreate = withHelp(HELP.create, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { url: { type: 'string' }, events: { type: 'string' }, description: { type: 'string' }, json: { type: 'boolean' } },
    }),
  );
  positionals(given, []);
  if (values.url === undefined) throw new CliUsageError('missing --url');
  if (values.events === undefined) throw new CliUsageError('missing --events (e.g. --events grant.revoked,user.*)');
  const { endpoint, secret } = await withScope(io, (s) =>
    createWebhook(s, { url: values.url ?? '', events: values.events ?? '', description: values.description }),
  );
  if (values.json) {
    io.out(JSON.stringify({ ...describe(endpoint), secret }));
    return 0;
  }
  io.out(
    [
      `Registered webhook ${endpoint.id} for ${endpoint.events}`,
      '',
      `  Signing secret:  ${secret}`,
      '',
      'The secret is shown once, copy it now. Verify deliveries with it (docs/events.md).',
    ].join('\n'),
  );
  return 0;
});

const webhookList = withHelp(HELP.list, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const endpoints = await withScope(io, (s) => s.repos.webhooks.page({ limit: 1000 }));
  if (json) io.out(JSON.stringify(endpoints.map(describe)));
  else if (endpoints.length === 0) io.out('No webhook endpoints yet. Register one with: gatehouse webhook create --help');
  else
    io.out(
      table(
        ['ID', 'URL', 'EVENTS', 'STATE'],
        endpoints.map((e) => [e.id, e.url, e.events, e.enabled ? 'enabled' : `disabled (${e.disabledReason ?? ''})`]),
      ),
    );
  return 0;
});

const webhookDelete = withHelp(HELP.delete, async (args, io) => {
  const {
    ids: [id = ''],
    json,
  } = parseIdArgs(args, ['id']);
  await withScope(io, (s) => deleteWebhook(s, id));
  io.out(json ? JSON.stringify({ id, deleted: true }) : `Deleted webhook ${id}.`);
  return 0;
});

const webhookRotate = withHelp(HELP['rotate-secret'], async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, overlap: { type: 'string' } } }),
  );
  const [id = ''] = positionals(given, ['id']);
  const overlap = values.overlap === undefined ? DEFAULT_SECRET_OVERLAP : /^\d{1,7}$/.test(values.overlap) ? Number(values.overlap) : Number.NaN;
  if (!Number.isInteger(overlap) || overlap > MAX_SECRET_OVERLAP)
    throw new CliUsageError(`--overlap must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP}`);
  const rotated = await withScope(io, (s) => rotateWebhookSecret(s, id, overlap));
  const expires = isoTime(rotated.previousExpiresAt);
  if (values.json) {
    io.out(JSON.stringify({ id, secret: rotated.secret, previous_secret_expires_at: expires }));
    return 0;
  }
  io.out(
    [
      `New signing secret for webhook ${id}:`,
      '',
      `  Signing secret:  ${rotated.secret}`,
      '',
      'The secret is shown once, copy it now.',
      expires === null
        ? 'The old secret signs no more; update the receiver now.'
        : `Deliveries are signed with the old secret too until ${expires}; update the receiver before then.`,
    ].join('\n'),
  );
  return 0;
});

const webhookReplay = withHelp(HELP.replay, async (args, io) => {
  const {
    ids: [id = '', eventId = ''],
    json,
  } = parseIdArgs(args, ['id', 'event-id']);
  const outcome = await withScope(io, (s) => replayWebhook(s, id, eventId));
  if (json) io.out(JSON.stringify({ id, event_id: eventId, status: outcome }));
  else
    io.out(
      outcome === 'queued'
        ? `Queued event ${eventId} for webhook ${id} again.`
        : `Event ${eventId} is still to be delivered to webhook ${id}: nothing to replay.`,
    );
  return 0;
});

export async function webhookCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { create: webhookCreate, list: webhookList, delete: webhookDelete, 'rotate-secret': webhookRotate, replay: webhookReplay });
}

import { parseArgs } from 'node:util';
import { EVENT_TYPES, type EventType } from '../events/catalog.js';
import { dispatch, isoTime, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import { auditExport } from './audit-export.js';
import { type CliIo, CliUsageError } from './io.js';

const USAGE = `Usage: gatehouse audit <subcommand> [options]

The audit log: every change to users, clients, consents, sessions, grants, keys and issuers,
recorded with the change itself (the default issuer, or the one --issuer names).

Subcommands:
  list [--type TYPE] [--user ID] [--client ID] [--since TIME] [--limit N]   newest first
  export --since TIME [--until TIME] [--type LIST]                         JSON lines, oldest first

Events older than the issuer's audit retention (audit_retention_days, default 365) are deleted
by the server's maintenance (docs/audit.md).`;

const LIST_HELP = `Usage: gatehouse audit list [--type TYPE] [--user ID] [--client ID] [--since TIME] [--limit N] [--json]

Lists recorded events, newest first.

Options:
  --type TYPE     only events of this type: ${EVENT_TYPES.join(', ')}
  --user ID       only events about this user (its sub)
  --client ID     only events about this client
  --since TIME    only events at or after this time (ISO 8601, e.g. 2026-12-01T00:00:00Z)
  --limit N       at most N events (default 100, at most 1000)
  --json          print an array of {"id", "type", "occurred_at", "actor", "user_id", "client_id", "payload"}`;

const auditList = withHelp(LIST_HELP, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        type: { type: 'string' },
        user: { type: 'string' },
        client: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  positionals(given, []);
  if (values.type !== undefined && !EVENT_TYPES.includes(values.type as EventType)) throw new CliUsageError(`--type must be one of ${EVENT_TYPES.join(', ')}`);
  const since = values.since === undefined ? undefined : Date.parse(values.since);
  if (since !== undefined && Number.isNaN(since)) throw new CliUsageError('--since must be a time like 2026-12-01T00:00:00Z');
  if (values.limit !== undefined && !/^\d{1,4}$/.test(values.limit)) throw new CliUsageError('--limit must be a whole number');
  const events = await withScope(io, (s) =>
    s.repos.events.list({
      ...(values.type ? { type: values.type as EventType } : {}),
      ...(values.user ? { userId: values.user } : {}),
      ...(values.client ? { clientId: values.client } : {}),
      ...(since === undefined ? {} : { since: Math.floor(since / 1000) }),
      ...(values.limit ? { limit: Number(values.limit) } : {}),
    }),
  );
  const view = events.map((e) => ({
    id: e.id,
    type: e.type,
    occurred_at: isoTime(e.occurredAt),
    actor: e.actor,
    user_id: e.userId,
    client_id: e.clientId,
    payload: e.payload,
  }));
  if (values.json) io.out(JSON.stringify(view));
  else if (view.length === 0) io.out('No events.');
  else
    io.out(
      table(
        ['TIME', 'TYPE', 'USER', 'CLIENT', 'DETAILS'],
        view.map((e) => [e.occurred_at, e.type, e.user_id ?? '', e.client_id ?? '', JSON.stringify(e.payload)]),
      ),
    );
  return 0;
});

export function auditCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { list: auditList, export: auditExport });
}

import { parseArgs } from 'node:util';
import { auditEventView } from '../admin/api/audit-log.js';
import { EVENT_TYPES, type EventType } from '../events/catalog.js';
import { parseOrUsage, positionals, withHelp, withScope } from './common.js';
import { CliUsageError } from './io.js';

/** Events read per query: the export holds one page at a time, never the whole log. */
export const EXPORT_PAGE = 500;

export const EXPORT_HELP = `Usage: gatehouse audit export --since TIME [--until TIME] [--type TYPE[,TYPE...]]

Writes the audit log to stdout as JSON lines, oldest first: one event per line, as the Admin API's
GET /audit-log shows it ({"id", "type", "time", "actor", "address", "subject", "data"}, secrets
never included). Read page by page, so any size of log streams.

Options:
  --since TIME    from this time on (inclusive): ISO 8601 (2026-12-01T00:00:00Z) or a duration
                  back from now (90d, 24h, 30m, 45s)
  --until TIME    up to this time (inclusive), in the same forms; default now
  --type LIST     only these event types, comma-separated (see docs/events.md)`;

const DURATION = /^(\d{1,6})([smhd])$/;
const UNIT = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A time flag as Unix seconds: an ISO 8601 time, or a duration back from `now`. */
export function parseTimeFlag(flag: string, value: string, now: number): number {
  const duration = DURATION.exec(value);
  if (duration) return now - Number(duration[1]) * UNIT[duration[2] as keyof typeof UNIT];
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new CliUsageError(`--${flag} must be a time like 2026-12-01T00:00:00Z or a duration like 7d, 24h, 30m`);
  return Math.floor(ms / 1000);
}

function parseTypes(value: string | undefined): EventType[] | undefined {
  if (value === undefined) return undefined;
  const types = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = types.find((t) => !EVENT_TYPES.includes(t as EventType));
  if (unknown !== undefined || types.length === 0) throw new CliUsageError(`--type: not an event type: ${unknown ?? value} (see docs/events.md)`);
  return types as EventType[];
}

export const auditExport = withHelp(EXPORT_HELP, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { since: { type: 'string' }, until: { type: 'string' }, type: { type: 'string' } } }),
  );
  positionals(given, []);
  if (values.since === undefined) throw new CliUsageError('missing --since (e.g. --since 7d or --since 2026-12-01T00:00:00Z)');
  const types = parseTypes(values.type);
  return withScope(io, async (scope) => {
    const now = scope.services.clock();
    const since = parseTimeFlag('since', values.since as string, now);
    const until = values.until === undefined ? now : parseTimeFlag('until', values.until, now);
    if (until < since) throw new CliUsageError('--until is before --since');
    let after: [number, string] | undefined;
    for (;;) {
      const page = await scope.repos.events.ascending({ types, since, until, after, limit: EXPORT_PAGE });
      for (const event of page) io.out(JSON.stringify(auditEventView(event)));
      await io.drain?.();
      const last = page.at(-1);
      if (!last || page.length < EXPORT_PAGE) return 0;
      after = [last.occurredAt, last.id];
    }
  });
});

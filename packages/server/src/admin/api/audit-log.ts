import { z } from 'zod';
import { EVENT_TYPES, type EventType, type RecordedEvent } from '../../events/catalog.js';
import { type AdminRoute, defineRoute } from './define.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf, pageQuery, pageSchema } from './paging.js';
import { PROBLEM_RESPONSES } from './responses.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** A point in time as the query gives it: RFC 3339 with an offset, or Unix seconds. */
const timeParam = (what: string) =>
  z
    .string()
    .max(40)
    .transform((value, ctx) => {
      if (/^\d{1,12}$/.test(value)) return Number(value);
      const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: 'custom', message: 'an RFC 3339 time with an offset (2026-12-01T00:00:00Z) or Unix seconds' });
        return z.NEVER;
      }
      return Math.floor(ms / 1000);
    })
    .optional()
    .meta({ description: `${what}, inclusive: RFC 3339 with an offset (2026-12-01T00:00:00Z) or Unix seconds (1796083200)` });

const typesParam = z
  .string()
  .max(2000)
  .transform((value, ctx) => {
    const types = value
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
    if (unknown.length > 0 || types.length === 0) {
      ctx.addIssue({ code: 'custom', message: `not an event type: ${(unknown[0] ?? value).slice(0, 60)} (see docs/events.md)` });
      return z.NEVER;
    }
    return types as EventType[];
  })
  .optional()
  .meta({ description: `One or more event types, comma-separated: ${EVENT_TYPES.join(', ')}` });

const id = (description: string) => z.string().min(1).max(200).optional().meta({ description });

const auditQuery = z.strictObject({
  ...pageQuery,
  type: typesParam,
  user_id: id('Only events about this user (its sub)'),
  client_id: id('Only events about this client'),
  actor: id('Only changes made by this actor: user:<id>, client:<id>, cli or system'),
  since: timeParam('Only events at or after this time'),
  until: timeParam('Only events at or before this time'),
});

export const auditEventSchema = z
  .object({
    id: z.string().meta({ description: 'Stable; pages are ordered by time, then id, newest first' }),
    type: z.string().meta({ description: 'An event type of docs/events.md' }),
    time: z.iso.datetime(),
    actor: z
      .string()
      .nullable()
      .meta({ description: 'Who made the change: user:<id>, client:<id>, cli, system; null when nobody did (e.g. a failed sign-in)' }),
    address: z.string().nullable().meta({ description: 'The IP address the change came from, when it came over HTTP' }),
    subject: z
      .object({ user_id: z.string().nullable(), client_id: z.string().nullable(), organization_id: z.string().nullable() })
      .meta({ description: 'What the event is about' }),
    data: z.record(z.string(), z.unknown()).meta({ description: 'The event’s payload (docs/events.md); never a secret' }),
  })
  .meta({ id: 'AuditEvent' });

// Payloads carry no secrets by design (events/catalog.ts); this is the belt to those braces,
// for a payload written by a future event whose author forgot: such a key never leaves here.
const SECRET_KEY = /secret|password|passcode|token(?!_endpoint)|hash|credential|private|otp/i;

/** A payload as the audit log shows it: any value under a secret-sounding key replaced. */
export function redacted(value: unknown, key = ''): unknown {
  if (key !== '' && SECRET_KEY.test(key)) return '[redacted]';
  if (Array.isArray(value)) return value.map((v) => redacted(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v, k)]));
  }
  return value;
}

export function auditEventView(e: RecordedEvent): z.infer<typeof auditEventSchema> {
  const payload = e.payload as Record<string, unknown>;
  const organization = typeof payload.organization_id === 'string' ? payload.organization_id : null;
  return {
    id: e.id,
    type: e.type,
    time: new Date(e.occurredAt * 1000).toISOString(),
    actor: e.actor,
    address: e.address,
    subject: { user_id: e.userId, client_id: e.clientId, organization_id: organization },
    data: redacted(payload) as Record<string, unknown>,
  };
}

export const AUDIT_LOG_ROUTES: readonly AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/audit-log',
    operationId: 'listAuditLog',
    summary: 'Read the audit log',
    description:
      'Every recorded event of this issuer, newest first (time, then id): the same log as `gatehouse audit list`. Pages are stable: an event recorded while you page does not shift the next page. since and until take RFC 3339 (with an offset) or Unix seconds.',
    tag: 'Audit log',
    need: 'read',
    query: auditQuery,
    responses: { 200: { description: 'A page of events, newest first', schema: pageSchema(auditEventSchema) }, ...PROBLEM_RESPONSES },
    async handle({ scope, query }) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const rows = await scope.repos.events.page({
        types: query.type,
        userId: query.user_id,
        clientId: query.client_id,
        actor: query.actor,
        since: query.since,
        until: query.until,
        before: decodeCursor(query.cursor),
        limit: limit + 1,
      });
      return { status: 200, body: pageOf(rows, limit, (e) => [e.occurredAt, e.id], auditEventView) };
    },
  }),
];

import { type RawBuilder, sql } from 'kysely';
import { prepared } from '../prepared.js';

/** The consumer of webhook deliveries: rows are `webhook:<endpoint id>`, one per endpoint. */
export const WEBHOOK_CONSUMER = 'webhook';

/** Event types no endpoint receives through its filter: internal (mail) or addressed to one endpoint (its test). */
const UNHOOKED: ReadonlySet<string> = new Set(['mail.requested', 'webhook.test']);

/** Whether an event of `type` is offered to the issuer's endpoints. */
export function isHookable(type: string): boolean {
  return !UNHOOKED.has(type);
}

/**
 * The INSERT that gives an event one delivery row per enabled endpoint of its issuer whose filter
 * matches its type, run in the event's own transaction (or statement: the PostgreSQL fast paths
 * put it in their CTE with `from` the row they insert from). Nothing is read first: with no
 * endpoint the statement inserts nothing, cheaply (webhook_endpoints_issuer), so the events'
 * writers pay one statement and no round trip of their own for webhooks. `type` appears twice
 * because a prepared query binds each argument once.
 */
export function webhookFanOut(eventId: unknown, issuer: unknown, now: unknown, type: unknown, typeAgain: unknown, from?: string): RawBuilder<unknown> {
  const also = from ? sql`, ${sql.table(from)}` : sql``;
  return sql`INSERT INTO event_deliveries (event_id, consumer, issuer_id, created_at, not_before, lease_until, attempts, dead_at, last_error)
    SELECT ${eventId}, 'webhook:' || w.id, w.issuer_id, ${now}, ${now}, 0, 0, NULL, NULL FROM webhook_endpoints w${also}
    WHERE w.issuer_id = ${issuer} AND w.enabled = 1 AND EXISTS (
      SELECT 1 FROM webhook_endpoint_events f WHERE f.endpoint_id = w.id
        AND (f.pattern = ${type} OR (f.prefix = 1 AND substr(${typeAgain}, 1, length(f.pattern)) = f.pattern)))`;
}

export const FAN_OUT = prepared((db, eventId: string, issuer: string, now: number, type: string, typeAgain: string) => ({
  compile: () => webhookFanOut(eventId, issuer, now, type, typeAgain).compile(db),
}));

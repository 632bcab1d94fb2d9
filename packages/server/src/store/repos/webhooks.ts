import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, WebhookAttemptTable, WebhookEndpointTable } from '../schema.js';
import { recordForDelivery } from './event-deliveries.js';
import { atomically, newEventId, recordEvent } from './events.js';
import { WEBHOOK_CONSUMER } from './webhook-fan-out.js';

/** An endpoint as the services see it; the secrets stay sealed here (webhooks/service.ts opens them). */
export interface WebhookEndpoint {
  id: string;
  issuerId: string;
  url: string;
  /** The normalised filter: `grant.revoked,user.*`. */
  events: string;
  description: string;
  enabled: boolean;
  disabledReason: string | null;
  sealedSecret: string;
  sealedPreviousSecret: string | null;
  previousExpiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  failingSince: number | null;
}

export interface NewWebhookEndpoint {
  id: string;
  url: string;
  events: string;
  patterns: readonly { pattern: string; prefix: boolean }[];
  description: string;
  sealedSecret: string;
}

export interface WebhookEndpointChange {
  url?: string;
  events?: { filter: string; patterns: readonly { pattern: string; prefix: boolean }[] };
  description?: string;
  enabled?: boolean;
}

/** One attempt to deliver an event to an endpoint: the delivery log. */
export interface WebhookAttempt {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  status: number | null;
  latencyMs: number;
  response: string | null;
  error: string | null;
  at: number;
}

/** What a replay did: queued again, already queued (nothing to do), or no such event of this issuer. */
export type ReplayOutcome = 'queued' | 'pending' | 'unknown_event';

const MAX_ERROR = 500;

/** The consumer name of one endpoint's deliveries in event_deliveries. */
export function endpointConsumer(id: string): string {
  return `${WEBHOOK_CONSUMER}:${id}`;
}

/**
 * An issuer's webhook endpoints, their filters and their delivery log. Every query is scoped
 * to the issuer: another issuer's endpoint id finds nothing here.
 */
export class WebhookRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create(input: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const now = this.clock();
    const row: WebhookEndpointTable = {
      id: input.id,
      issuer_id: this.issuer,
      url: input.url,
      events: input.events,
      description: input.description,
      enabled: 1,
      disabled_reason: null,
      secret: input.sealedSecret,
      previous_secret: null,
      previous_expires_at: null,
      created_at: now,
      updated_at: now,
      failing_since: null,
    };
    await atomically(this.db, async (trx) => {
      await trx.insertInto('webhook_endpoints').values(row).execute();
      await this.#writePatterns(trx, input.id, input.patterns);
      await recordEvent(trx, this.issuer, now, {
        type: 'webhook.endpoint_created',
        payload: { endpoint_id: input.id, url: withoutQuery(input.url), events: input.events },
      });
    });
    return toEndpoint(row);
  }

  async find(id: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.db.selectFrom('webhook_endpoints').selectAll().where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** A page in registration order, after (created_at, id) when given; reads limit + 1 rows. */
  async page(options: { after?: readonly [number, string]; limit: number }): Promise<WebhookEndpoint[]> {
    let select = this.db.selectFrom('webhook_endpoints').selectAll().where('issuer_id', '=', this.issuer);
    const after = options.after;
    if (after) select = select.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
    const rows = await select
      .orderBy('created_at')
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    return rows.map(toEndpoint);
  }

  /** Applies `change`; enabling again forgets why it was disabled and since when it failed. Undefined when there is no such endpoint. */
  async update(id: string, change: WebhookEndpointChange): Promise<WebhookEndpoint | undefined> {
    return atomically(this.db, async (trx) => {
      const current = await new WebhookRepository(trx, this.clock, this.issuer).find(id);
      if (!current) return undefined;
      const now = this.clock();
      const changed: string[] = [];
      const set: Partial<WebhookEndpointTable> = {};
      if (change.url !== undefined && change.url !== current.url) {
        set.url = change.url;
        changed.push('url');
      }
      if (change.description !== undefined && change.description !== current.description) {
        set.description = change.description;
        changed.push('description');
      }
      if (change.events && change.events.filter !== current.events) {
        set.events = change.events.filter;
        changed.push('events');
        await trx.deleteFrom('webhook_endpoint_events').where('issuer_id', '=', this.issuer).where('endpoint_id', '=', id).execute();
        await this.#writePatterns(trx, id, change.events.patterns);
      }
      if (change.enabled !== undefined && change.enabled !== current.enabled) {
        set.enabled = change.enabled ? 1 : 0;
        set.disabled_reason = change.enabled ? null : 'disabled by an administrator';
        set.failing_since = null;
        changed.push('enabled');
      }
      if (changed.length === 0) return current;
      set.updated_at = now;
      await trx.updateTable('webhook_endpoints').set(set).where('issuer_id', '=', this.issuer).where('id', '=', id).execute();
      await recordEvent(trx, this.issuer, now, { type: 'webhook.endpoint_updated', payload: { endpoint_id: id, changed } });
      return new WebhookRepository(trx, this.clock, this.issuer).find(id);
    });
  }

  /** Deletes the endpoint with its log and the deliveries still to make to it. */
  async delete(id: string): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const gone = await trx.deleteFrom('webhook_endpoints').where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
      if (gone.numDeletedRows === 0n) return false;
      await trx.deleteFrom('webhook_endpoint_events').where('issuer_id', '=', this.issuer).where('endpoint_id', '=', id).execute();
      await trx.deleteFrom('webhook_attempts').where('issuer_id', '=', this.issuer).where('endpoint_id', '=', id).execute();
      await trx.deleteFrom('event_deliveries').where('issuer_id', '=', this.issuer).where('consumer', '=', endpointConsumer(id)).execute();
      await recordEvent(trx, this.issuer, this.clock(), { type: 'webhook.endpoint_deleted', payload: { endpoint_id: id } });
      return true;
    });
  }

  /** A new secret; the one it replaces keeps signing until `previousExpiresAt` (null: stops at once). */
  async rotate(id: string, sealedSecret: string, sealedPrevious: string | null, previousExpiresAt: number | null): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const now = this.clock();
      const done = await trx
        .updateTable('webhook_endpoints')
        .set({ secret: sealedSecret, previous_secret: sealedPrevious, previous_expires_at: previousExpiresAt, updated_at: now })
        .where('issuer_id', '=', this.issuer)
        .where('id', '=', id)
        .executeTakeFirst();
      if (done.numUpdatedRows === 0n) return false;
      await recordEvent(trx, this.issuer, now, { type: 'webhook.secret_rotated', payload: { endpoint_id: id, previous_expires_at: previousExpiresAt } });
      return true;
    });
  }

  /** An attempt succeeded: the endpoint is not failing any more. */
  async succeeded(id: string): Promise<void> {
    await this.db
      .updateTable('webhook_endpoints')
      .set({ failing_since: null })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .where('failing_since', 'is not', null)
      .execute();
  }

  /** An attempt failed: returns since when the endpoint has been failing (now, if it was not). */
  async failed(id: string): Promise<number> {
    const now = this.clock();
    await this.db
      .updateTable('webhook_endpoints')
      .set({ failing_since: now })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .where('failing_since', 'is', null)
      .execute();
    return (await this.find(id))?.failingSince ?? now;
  }

  /**
   * Disables an enabled endpoint, saying why; false when it already was (another instance did it
   * first), so only one of them mails the owners. Runs on the caller's transaction.
   */
  async disable(id: string, reason: string): Promise<boolean> {
    const now = this.clock();
    const done = await this.db
      .updateTable('webhook_endpoints')
      .set({ enabled: 0, disabled_reason: reason.slice(0, 200), updated_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    if (done.numUpdatedRows === 0n) return false;
    await recordEvent(this.db, this.issuer, now, { type: 'webhook.endpoint_disabled', payload: { endpoint_id: id, reason } });
    return true;
  }

  async logAttempt(attempt: Omit<WebhookAttempt, 'id' | 'at'>): Promise<void> {
    await this.db
      .insertInto('webhook_attempts')
      .values({
        id: newEventId(),
        issuer_id: this.issuer,
        endpoint_id: attempt.endpointId,
        event_id: attempt.eventId,
        event_type: attempt.eventType,
        attempt: attempt.attempt,
        status: attempt.status,
        latency_ms: attempt.latencyMs,
        response: attempt.response,
        error: attempt.error === null ? null : attempt.error.slice(0, MAX_ERROR),
        at: this.clock(),
      })
      .execute();
  }

  /** The endpoint's delivery log, newest first, before the attempt `before` when given; reads limit + 1 rows. */
  async attempts(endpointId: string, options: { before?: string; limit: number }): Promise<WebhookAttempt[]> {
    let select = this.db.selectFrom('webhook_attempts').selectAll().where('issuer_id', '=', this.issuer).where('endpoint_id', '=', endpointId);
    if (options.before !== undefined) select = select.where('id', '<', options.before);
    const rows = await select
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    return rows.map(toAttempt);
  }

  /** The endpoint's deliveries still to make and its dead letters, by event id. */
  async queued(endpointId: string): Promise<{ eventId: string; attempts: number; notBefore: number; deadAt: number | null; lastError: string | null }[]> {
    const rows = await this.db
      .selectFrom('event_deliveries')
      .select(['event_id', 'attempts', 'not_before', 'dead_at', 'last_error'])
      .where('issuer_id', '=', this.issuer)
      .where('consumer', '=', endpointConsumer(endpointId))
      .orderBy('event_id', 'desc')
      .limit(200)
      .execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      attempts: r.attempts,
      notBefore: Number(r.not_before),
      deadAt: r.dead_at === null ? null : Number(r.dead_at),
      lastError: r.last_error,
    }));
  }

  /**
   * Queues the event for the endpoint again, due now: a dead letter comes back to life, a
   * delivery made before is made once more (the same webhook-id, so a receiver that keeps ids
   * sees a repeat). Any event of this issuer can be replayed to any of its endpoints.
   */
  async replay(endpointId: string, eventId: string): Promise<ReplayOutcome> {
    return atomically(this.db, async (trx) => {
      const event = await trx.selectFrom('events').select('id').where('issuer_id', '=', this.issuer).where('id', '=', eventId).executeTakeFirst();
      if (!event) return 'unknown_event';
      const now = this.clock();
      const consumer = endpointConsumer(endpointId);
      const row = await trx
        .selectFrom('event_deliveries')
        .select(['dead_at'])
        .where('issuer_id', '=', this.issuer)
        .where('event_id', '=', eventId)
        .where('consumer', '=', consumer)
        .executeTakeFirst();
      if (row && row.dead_at === null) return 'pending';
      if (row) {
        await trx
          .updateTable('event_deliveries')
          .set({ dead_at: null, not_before: now, lease_until: 0, attempts: 0, last_error: null, created_at: now })
          .where('event_id', '=', eventId)
          .where('consumer', '=', consumer)
          .execute();
      } else {
        await trx
          .insertInto('event_deliveries')
          .values({
            event_id: eventId,
            consumer,
            issuer_id: this.issuer,
            created_at: now,
            not_before: now,
            lease_until: 0,
            attempts: 0,
            dead_at: null,
            last_error: null,
          })
          .execute();
      }
      return 'queued';
    });
  }

  /** Records a `webhook.test` event with a delivery to this endpoint only; returns its id. */
  async queueTest(endpointId: string): Promise<string> {
    return recordForDelivery(this.db, this.issuer, this.clock(), { type: 'webhook.test', payload: { endpoint_id: endpointId } }, [
      endpointConsumer(endpointId),
    ]);
  }

  async #writePatterns(db: Kysely<Database>, id: string, patterns: readonly { pattern: string; prefix: boolean }[]): Promise<void> {
    if (patterns.length === 0) return;
    await db
      .insertInto('webhook_endpoint_events')
      .values(patterns.map((p) => ({ endpoint_id: id, issuer_id: this.issuer, pattern: p.pattern, prefix: p.prefix ? 1 : 0 })))
      .execute();
  }
}

/** A URL as events and mails show it: without its query, which may hold a token of the receiver's. */
export function withoutQuery(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '';
  }
}

function toEndpoint(r: Selectable<WebhookEndpointTable>): WebhookEndpoint {
  return {
    id: r.id,
    issuerId: r.issuer_id,
    url: r.url,
    events: r.events,
    description: r.description,
    enabled: Number(r.enabled) === 1,
    disabledReason: r.disabled_reason,
    sealedSecret: r.secret,
    sealedPreviousSecret: r.previous_secret,
    previousExpiresAt: r.previous_expires_at === null ? null : Number(r.previous_expires_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    failingSince: r.failing_since === null ? null : Number(r.failing_since),
  };
}

function toAttempt(r: Selectable<WebhookAttemptTable>): WebhookAttempt {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    attempt: r.attempt,
    status: r.status,
    latencyMs: r.latency_ms,
    response: r.response,
    error: r.error,
    at: Number(r.at),
  };
}

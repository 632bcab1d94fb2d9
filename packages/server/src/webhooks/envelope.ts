import type { IssuerScope } from '../issuers/scope.js';
import type { ClaimedDelivery } from '../store/repos/event-deliveries.js';

/** What an endpoint receives: the Standard Webhooks envelope (docs/events.md). */
export interface WebhookEnvelope {
  type: string;
  /** When the event occurred, ISO 8601. */
  timestamp: string;
  data: {
    /** The issuer identifier (`iss`). */
    issuer: string;
    issuer_id: string;
    event_id: string;
    occurred_at: string;
    user_id: string | null;
    client_id: string | null;
  } & Record<string, unknown>;
}

/**
 * The body of a delivery: the event as recorded, named by ids. Payloads never carry secrets or
 * tokens (events/catalog.ts); the actor's IP address is left out too, it is the audit log's.
 */
export function webhookEnvelope(scope: IssuerScope, delivery: ClaimedDelivery): WebhookEnvelope {
  const occurred = new Date(delivery.occurredAt * 1000).toISOString();
  return {
    type: delivery.type,
    timestamp: occurred,
    data: {
      ...(delivery.payload as Record<string, unknown>),
      issuer: scope.url,
      issuer_id: delivery.issuerId,
      event_id: delivery.eventId,
      occurred_at: occurred,
      user_id: delivery.userId,
      client_id: delivery.clientId,
    },
  };
}

import type { Consumer, DeliveryTiming } from '../events/delivery.js';
import type { IssuerScope } from '../issuers/scope.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import type { ClaimedDelivery } from '../store/repos/event-deliveries.js';
import { WEBHOOK_CONSUMER } from '../store/repos/webhook-fan-out.js';
import { type WebhookEndpoint, withoutQuery } from '../store/repos/webhooks.js';
import { WEBHOOK_DISABLED_MAIL } from './disabled-mail.js';
import { webhookEnvelope } from './envelope.js';
import { WebhookSendError, postWebhook } from './outbound.js';
import { OutboundDeliveries, outboundFailure } from './outbound-deliveries.js';
import { endpointSecrets } from './secrets.js';
import { webhookSignature } from './signing.js';

/**
 * Retries double from 30 s to an hour, for a day from when the delivery was queued: about 30
 * attempts (30 s, 1, 2, 4, 8, 16, 32 min, then hourly). The lease outlasts an attempt (10 s).
 */
export const WEBHOOK_TIMING: DeliveryTiming = {
  leaseSeconds: 60,
  giveUpSeconds: 24 * 3600,
  firstRetrySeconds: 30,
  maxRetrySeconds: 3600,
  pollMs: 2000,
};

/** An endpoint whose every attempt failed for this long is disabled, and the issuer's owners mailed. */
export const DISABLE_AFTER_SECONDS = 24 * 3600;

/**
 * Delivers events to webhook endpoints. Each event has a row per endpoint that wanted it
 * (`webhook:<endpoint id>`, written with the event: store/repos/webhook-fan-out.ts), so each
 * endpoint's deliveries succeed, back off and end in the dead letter on their own: one endpoint
 * failing never holds up or repeats another's. Any instance delivers any row (events/delivery.ts).
 */
export class WebhookDispatcher extends OutboundDeliveries {
  constructor(services: Services, timing: DeliveryTiming = WEBHOOK_TIMING) {
    super(services, timing);
  }

  protected consumer(): Consumer {
    const { services } = this;
    return {
      name: WEBHOOK_CONSUMER,
      family: true,
      deliver: async (delivery) => {
        const scope = await services.scopes.byId(delivery.issuerId);
        // The issuer, or the endpoint, was deleted since: there is no one left to deliver to.
        if (!scope) return;
        const endpoint = await scope.repos.webhooks.find(delivery.consumer.slice(WEBHOOK_CONSUMER.length + 1));
        if (!endpoint) return;
        if (!endpoint.enabled) throw new WebhookSendError(`the endpoint is disabled (${endpoint.disabledReason ?? 'by an administrator'})`, true);
        await this.#attempt(scope, endpoint, delivery);
      },
      failure: outboundFailure,
      failed: (delivery, failure, retryIn) => {
        const fields = {
          endpoint: delivery.consumer.slice(WEBHOOK_CONSUMER.length + 1),
          event_id: delivery.eventId,
          attempts: delivery.attempts,
          error: failure.message,
        };
        if (retryIn === undefined) services.logger.log('warn', 'webhook_failed', fields);
        else services.logger.log('info', 'webhook_deferred', { ...fields, retry_in_seconds: retryIn });
      },
    };
  }

  async #attempt(scope: IssuerScope, endpoint: WebhookEndpoint, delivery: ClaimedDelivery): Promise<void> {
    const { clock, box, config } = this.services;
    const repo = scope.repos.webhooks;
    const timestamp = clock();
    const body = JSON.stringify(webhookEnvelope(scope, delivery));
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Gatehouse-Webhooks/1',
      // The event's id: the same on every retry and replay, so a receiver can drop repeats.
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignature(await endpointSecrets(box, endpoint, timestamp), delivery.eventId, timestamp, body),
    };
    const started = performance.now();
    const log = { endpointId: endpoint.id, eventId: delivery.eventId, eventType: delivery.type, attempt: delivery.attempts };
    try {
      const answer = await postWebhook(endpoint.url, headers, body, config.webhookAllowedHosts);
      await repo.logAttempt({ ...log, status: answer.status, latencyMs: Math.round(performance.now() - started), response: answer.excerpt, error: null });
      if (endpoint.failingSince !== null) await repo.succeeded(endpoint.id);
    } catch (error) {
      const failure = error instanceof WebhookSendError ? error : new WebhookSendError(describeError(error).error);
      await repo.logAttempt({
        ...log,
        status: failure.status,
        latencyMs: Math.round(performance.now() - started),
        response: failure.excerpt,
        error: failure.message,
      });
      const since = await repo.failed(endpoint.id);
      if (clock() - since >= DISABLE_AFTER_SECONDS) {
        await this.#disable(scope, endpoint, failure.message);
        throw new WebhookSendError(`${failure.message}; the endpoint has failed for a day and was disabled`, true, failure.status, failure.excerpt);
      }
      throw failure;
    }
  }

  /** Disables the endpoint and mails the issuer's owners, in one transaction (the mail is an outbox row). */
  async #disable(scope: IssuerScope, endpoint: WebhookEndpoint, error: string): Promise<void> {
    const mail = this.services.outbox;
    const disabled = await scope.transaction(async (repos) => {
      if (!(await repos.webhooks.disable(endpoint.id, 'failing for a day'))) return false;
      if (mail) {
        const shown = withoutQuery(endpoint.url);
        for (const owner of (await repos.adminRoles.list()).filter((a) => a.role === 'owner')) {
          await repos.mailOutbox.enqueue(WEBHOOK_DISABLED_MAIL, owner.email, scope.id, 'en', { url: shown, error: error.slice(0, 300) });
        }
      }
      return true;
    });
    if (!disabled) return;
    this.services.logger.log('warn', 'webhook_endpoint_disabled', { endpoint: endpoint.id, issuer: scope.id });
    mail?.kick();
  }
}

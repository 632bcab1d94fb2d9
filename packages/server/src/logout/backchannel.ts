import type { NewEvent } from '../events/catalog.js';
import type { Consumer, DeliveryTiming } from '../events/delivery.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Services } from '../services.js';
import { BACKCHANNEL_CONSUMER, backchannelTarget } from '../store/repos/backchannel-fan-out.js';
import type { ClaimedDelivery } from '../store/repos/event-deliveries.js';
import { WEBHOOK_TIMING } from '../webhooks/dispatcher.js';
import { postWebhook } from '../webhooks/outbound.js';
import { OutboundDeliveries, outboundFailure } from '../webhooks/outbound-deliveries.js';

/**
 * As webhooks are paced (doubling up to an hour, for a day), but the first retry sooner: a
 * logout that waits leaves the user signed in to the app.
 */
export const BACKCHANNEL_TIMING: DeliveryTiming = { ...WEBHOOK_TIMING, firstRetrySeconds: 10 };

/**
 * Delivers OpenID Connect Back-Channel Logout 1.0 logout tokens (docs/logout.md). A session
 * ending queues one row per client it signed in to (`backchannel:<client>:<sid>`, on its
 * `session.ended` event, in the same transaction: store/repos/backchannel-fan-out.ts); this
 * takes them from the same outbox as webhooks, through the same loop (events/delivery.ts) and
 * the same guarded POST (webhooks/outbound.ts: GATEHOUSE_WEBHOOK_ALLOWED_HOSTS, no redirects,
 * a capped answer). Each attempt signs a fresh token, so a retry never sends an expired one.
 */
export class BackchannelLogouts extends OutboundDeliveries {
  constructor(services: Services, timing: DeliveryTiming = BACKCHANNEL_TIMING) {
    super(services, timing);
  }

  protected consumer(): Consumer {
    const { services } = this;
    return {
      name: BACKCHANNEL_CONSUMER,
      family: true,
      deliver: async (delivery) => {
        const target = backchannelTarget(delivery.consumer);
        const scope = await services.scopes.byId(delivery.issuerId);
        // The issuer or the client is gone, or the client no longer takes logout tokens: no one to tell.
        if (!target || !scope || !delivery.userId) return;
        const client = await scope.repos.clients.find(target.clientId);
        if (!client?.backchannelLogoutUri) return;
        const token = await scope.tokens.logoutToken({ clientId: client.id, alg: client.idTokenAlg, sub: delivery.userId, sid: target.sid });
        const body = new URLSearchParams({ logout_token: token }).toString();
        const headers = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Gatehouse-Logout/1', 'cache-control': 'no-store' };
        const answer = await postWebhook(client.backchannelLogoutUri, headers, body, services.config.webhookAllowedHosts);
        await record(scope, delivery, target, {
          type: 'logout.backchannel_delivered',
          payload: { sid: target.sid, attempts: delivery.attempts, status: answer.status },
        });
      },
      failure: outboundFailure,
      failed: (delivery, failure, retryIn) => {
        const target = backchannelTarget(delivery.consumer);
        const fields = { client: target?.clientId, event_id: delivery.eventId, attempts: delivery.attempts, error: failure.message };
        if (retryIn === undefined) services.logger.log('warn', 'backchannel_logout_failed', fields);
        else services.logger.log('info', 'backchannel_logout_deferred', { ...fields, retry_in_seconds: retryIn });
        if (!target) return;
        services.background.run('backchannel_logout_event_failed', async () => {
          const scope = await services.scopes.byId(delivery.issuerId);
          if (!scope) return;
          await record(scope, delivery, target, {
            type: 'logout.backchannel_failed',
            payload: { sid: target.sid, attempts: delivery.attempts, error: failure.message.slice(0, 300), will_retry: retryIn !== undefined },
          });
        });
      },
    };
  }
}

type Outcome = Pick<NewEvent<'logout.backchannel_delivered'>, 'type' | 'payload'> | Pick<NewEvent<'logout.backchannel_failed'>, 'type' | 'payload'>;

/** The attempt's outcome in the audit log, about the user and the client (never the token). */
async function record(scope: IssuerScope, delivery: ClaimedDelivery, target: { clientId: string }, outcome: Outcome): Promise<void> {
  await scope.repos.events.record({ ...outcome, actor: 'system', userId: delivery.userId, clientId: target.clientId });
}

import type { Hono } from 'hono';
import type Stripe from 'stripe';
import { issuerScope } from '../http/scope.js';
import type { IssuerScope } from '../issuers/scope.js';
import { ClaimAttributeRepository } from '../store/repos/claim-attributes.js';
import type { AttributeTarget } from './config.js';

/** An issuer's Stripe connection: the webhook signing secret (sealed) and whom subscriptions belong to. */
export interface StripeConnection {
  sealedSecret: string;
  /** Subscriptions are kept on users or on organizations, found by their `stripe_customer` attribute. */
  target: AttributeTarget;
}

/** The attribute that names a user's or organization's Stripe customer (`cus_…`). */
export const CUSTOMER_ATTRIBUTE = 'stripe_customer';
/** The attribute, claim and scope of the subscription. */
export const SUBSCRIPTION = 'subscription';

export const SUBSCRIPTION_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    plan: { type: ['string', 'null'] },
    current_period_end: { type: ['integer', 'null'] },
    cancel_at_period_end: { type: 'boolean' },
  },
  required: ['id', 'status'],
} as const;

export function stripeSecretLabel(issuerId: string): string {
  return `stripe-webhook-secret:${issuerId}`;
}

/** The `subscription` claim: what apps gate features on. */
export interface SubscriptionClaim {
  id: string;
  status: string;
  plan: string | null;
  current_period_end: number | null;
  cancel_at_period_end: boolean;
}

interface SubscriptionObject {
  id: string;
  status: string;
  customer: string | { id: string; email?: string | null };
  cancel_at_period_end?: boolean;
  current_period_end?: number;
  items?: { data?: { current_period_end?: number; price?: { id?: string; lookup_key?: string | null; nickname?: string | null } }[] };
  plan?: { id?: string } | null;
}

const SUBSCRIPTION_EVENTS = new Set(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted']);

// Stripe's library is ~21 MB of memory and ~0.1 s of start-up: loaded on an issuer's first Stripe
// event, not when the server starts. Signatures are checked offline: the client is never used to
// call Stripe (no key is configured).
let signatures: Promise<Stripe['webhooks']> | undefined;
function stripeSignatures(): Promise<Stripe['webhooks']> {
  signatures ??= import('stripe').then(({ default: StripeClient }) => new StripeClient('sk_signature_checks_only').webhooks);
  return signatures;
}

function claimOf(subscription: SubscriptionObject): SubscriptionClaim {
  const item = subscription.items?.data?.[0];
  return {
    id: subscription.id,
    status: subscription.status,
    plan: item?.price?.lookup_key ?? item?.price?.id ?? subscription.plan?.id ?? null,
    current_period_end: subscription.current_period_end ?? item?.current_period_end ?? null,
    cancel_at_period_end: subscription.cancel_at_period_end === true,
  };
}

/** Whose subscription it is: the user or organization whose stripe_customer attribute is the customer id (a user also by the customer's email). */
async function subjectOf(scope: IssuerScope, target: AttributeTarget, customer: SubscriptionObject['customer']): Promise<string | undefined> {
  const id = typeof customer === 'string' ? customer : customer.id;
  const row = await scope.repos.db
    .selectFrom('claim_attributes')
    .select('subject_id')
    .where('issuer_id', '=', scope.id)
    .where('subject_kind', '=', target)
    .where('name', '=', CUSTOMER_ATTRIBUTE)
    .where('value', '=', JSON.stringify(id))
    .executeTakeFirst();
  if (row) return row.subject_id;
  if (target === 'user' && typeof customer !== 'string' && customer.email) return (await scope.repos.users.findByEmail(customer.email))?.id;
  return undefined;
}

export type StripeOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'unmatched';

/**
 * Applies one verified event: once per event id, and only when it is not older (by Stripe's
 * `created`) than the last applied to its subscription, so redeliveries and late arrivals
 * change nothing. The subscription lands in the subject's `subscription` attribute, read at the
 * next token, refresh and userinfo call.
 */
export async function applyStripeEvent(scope: IssuerScope, connection: StripeConnection, event: Stripe.Event): Promise<StripeOutcome> {
  if (!SUBSCRIPTION_EVENTS.has(event.type)) return 'ignored';
  const subscription = event.data.object as unknown as SubscriptionObject;
  const subjectId = await subjectOf(scope, connection.target, subscription.customer);
  const now = scope.services.clock();
  return scope.transaction(async (repos) => {
    const db = repos.db;
    const seen = await db.selectFrom('stripe_events').select('event_id').where('issuer_id', '=', scope.id).where('event_id', '=', event.id).executeTakeFirst();
    if (seen) return 'duplicate';
    await db.insertInto('stripe_events').values({ issuer_id: scope.id, event_id: event.id, received_at: now }).execute();
    if (subjectId === undefined) return 'unmatched';
    const last = await db
      .selectFrom('stripe_subscriptions')
      .select('event_created')
      .where('issuer_id', '=', scope.id)
      .where('subscription_id', '=', subscription.id)
      .executeTakeFirst();
    // Stripe's times are seconds: an event of the same second as the last applied one still applies.
    if (last && Number(last.event_created) > event.created) return 'stale';
    if (last) {
      await db
        .updateTable('stripe_subscriptions')
        .set({ event_created: event.created, subject_kind: connection.target, subject_id: subjectId })
        .where('issuer_id', '=', scope.id)
        .where('subscription_id', '=', subscription.id)
        .execute();
    } else {
      await db
        .insertInto('stripe_subscriptions')
        .values({ issuer_id: scope.id, subscription_id: subscription.id, event_created: event.created, subject_kind: connection.target, subject_id: subjectId })
        .execute();
    }
    await new ClaimAttributeRepository(db, scope.services.clock, scope.id).set(connection.target, subjectId, SUBSCRIPTION, claimOf(subscription));
    return 'applied';
  });
}

/**
 * `<issuer>/integrations/stripe/webhook`: Stripe's signature checked with Stripe's own library
 * against the issuer's signing secret (400 when it fails, so Stripe shows the failure), then
 * applied; 200 for anything verified, applied or not (a redelivery, an older event, another
 * event type, a customer no user has), so Stripe stops retrying.
 */
export function registerStripeWebhook(app: Hono): void {
  app.post('/integrations/stripe/webhook', async (c) => {
    const scope = issuerScope(c);
    const connection = scope.registries.apis.stripe;
    if (!connection) return c.json({ error: 'not_found', error_description: 'This issuer has no Stripe connection' }, 404);
    const signature = c.req.header('stripe-signature');
    const body = await c.req.text();
    if (!signature || body.length > 512 * 1024) return c.json({ error: 'invalid_request', error_description: 'A signed Stripe event is expected' }, 400);
    let event: Stripe.Event;
    try {
      const secret = await scope.services.box.open(connection.sealedSecret, stripeSecretLabel(scope.id));
      event = (await stripeSignatures()).constructEvent(body, signature, secret);
    } catch {
      scope.services.logger.log('warn', 'stripe_signature_refused', { issuer: scope.id });
      return c.json({ error: 'invalid_request', error_description: 'The Stripe signature does not verify' }, 400);
    }
    const outcome = await applyStripeEvent(scope, connection, event);
    scope.services.logger.log('info', 'stripe_event', { issuer: scope.id, event: event.id, type: event.type, outcome });
    return c.json({ received: true, outcome });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import Stripe from 'stripe';
import { ClaimsService } from '../../src/claims/service.js';
import type { User } from '../../src/store/repos/users.js';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, basic, confidentialClient, json, refresh, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

const SECRET = 'whsec_test_0123456789abcdefghij';
const stripe = new Stripe('sk_test_unused');
let counter = 0;

/** A customer.subscription.* event as Stripe sends it, signed the way Stripe signs (its library's test header). */
function signed(type: string, created: number, subscription: Record<string, unknown>, secret = SECRET): { body: string; header: string; id: string } {
  counter += 1;
  const id = `evt_test_${counter}`;
  const body = JSON.stringify({ id, object: 'event', type, created, api_version: '2025-01-27', data: { object: { object: 'subscription', ...subscription } } });
  return { body, header: stripe.webhooks.generateTestHeaderString({ payload: body, secret }), id };
}

const subscription = (status: string, plan: string, periodEnd: number, cancel = false): Record<string, unknown> => ({
  id: 'sub_123',
  customer: 'cus_ada',
  status,
  cancel_at_period_end: cancel,
  items: { data: [{ current_period_end: periodEnd, price: { id: `price_${plan}`, lookup_key: plan } }] },
});

// Subscription claims from Stripe: events verified with Stripe's library, applied once each and
// in the order of Stripe's timestamps, read at the next refresh.
describe('claims: subscription claims from Stripe', () => {
  let ctx: TestContext;
  let client: Confidential;
  let user: User;
  const post = (event: { body: string; header: string }): Promise<Response> =>
    Promise.resolve(
      ctx.app.request(at('/integrations/stripe/webhook'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': event.header },
        body: event.body,
      }),
    );

  before(async () => {
    ctx = await createTestContext();
    const claims = new ClaimsService(ctx.services, ctx.scope.id);
    await claims.connectStripe({ webhookSecret: SECRET });
    user = await createTestUser(ctx);
    await claims.setAttribute('user', user.id, 'stripe_customer', 'cus_ada');
    client = await confidentialClient(ctx, { scopes: ['openid', 'subscription', 'offline_access'] });
  });
  after(() => ctx.close());

  it('refuses an event signed with another secret, or not signed', async () => {
    const forged = signed('customer.subscription.created', 1000, subscription('active', 'pro', 2000), 'whsec_someone_else_entirely');
    assert.equal((await post(forged)).status, 400);
    assert.equal((await post({ body: forged.body, header: 't=1,v1=00' })).status, 400);
  });

  it('keeps the subscription per user; the next refresh shows a change; redeliveries and older events change nothing', async () => {
    const created = signed('customer.subscription.created', 1000, subscription('trialing', 'pro', 2000));
    assert.deepEqual(await json(await post(created)), { received: true, outcome: 'applied' });
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid subscription offline_access' });
    assert.deepEqual(decodeJwt(tokens.id_token as string).subscription, {
      id: 'sub_123',
      status: 'trialing',
      plan: 'pro',
      current_period_end: 2000,
      cancel_at_period_end: false,
    });

    const updated = signed('customer.subscription.updated', 1100, subscription('active', 'pro', 3000, true));
    assert.equal((await json(await post(updated))).outcome, 'applied');
    assert.equal((await json(await post(updated))).outcome, 'duplicate', 'a redelivery is ignored');
    // An event Stripe made earlier, arriving late, does not overwrite the newer state.
    const late = signed('customer.subscription.updated', 1050, subscription('past_due', 'basic', 2500));
    assert.equal((await json(await post(late))).outcome, 'stale');

    const next = await json(await refresh(ctx, basic(client), tokens.refresh_token as string));
    const claim = decodeJwt(next.id_token as string).subscription as Record<string, unknown>;
    assert.deepEqual([claim.status, claim.plan, claim.current_period_end, claim.cancel_at_period_end], ['active', 'pro', 3000, true]);
    assert.equal(((await json(await userinfo(ctx, next.access_token as string))).subscription as Record<string, unknown>).status, 'active');

    const deleted = signed('customer.subscription.deleted', 1200, subscription('canceled', 'pro', 3000, true));
    assert.equal((await json(await post(deleted))).outcome, 'applied');
    const after = await json(await refresh(ctx, basic(client), next.refresh_token as string));
    assert.equal((decodeJwt(after.id_token as string).subscription as Record<string, unknown>).status, 'canceled');
  });

  it('answers 200 for events of other types and customers no user has', async () => {
    assert.equal((await json(await post(signed('invoice.paid', 1300, { id: 'in_1' })))).outcome, 'ignored');
    const stranger = { ...subscription('active', 'pro', 5000), id: 'sub_999', customer: 'cus_nobody' };
    assert.equal((await json(await post(signed('customer.subscription.created', 1300, stranger)))).outcome, 'unmatched');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { hookSecretLabel } from '../../src/claims/hook.js';
import { ClaimsService } from '../../src/claims/service.js';
import { gatehouse, gatehouseJson } from '../helpers/cli-run.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

const HOOK_URL = 'https://risk.example.com/claims';
const STRIPE_SECRET = 'whsec_cli_0123456789abcdefghij';

interface HookJson {
  name: string;
  url: string;
  claims: string[];
  scopes: string[];
  failure: string;
  created?: boolean;
  secret?: string | null;
}

describe('gatehouse hook and gatehouse stripe', () => {
  let ctx: TestContext;
  const claims = (): ClaimsService => new ClaimsService(ctx.services, ctx.scope.id);
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('hook set registers a hook and prints its secret once; a replace keeps it; list and delete', async () => {
    const set = await gatehouse(ctx, ['hook', 'set', 'risk', '--url', HOOK_URL, '--claims', 'risk_score, risk_band', '--failure', 'omit']);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /Registered claims hook risk at https:\/\/risk.example.com\/claims \(claims: risk_score risk_band; on failure: omit\)/);
    const secret = /^(whsec_\S+)$/m.exec(set.out)?.[1];
    assert.ok(secret, set.out);
    // What the CLI printed is the secret the server signs the hook's requests with, stored sealed.
    const [stored] = (await claims().config()).hooks ?? [];
    assert.ok(stored);
    assert.equal(stored.sealedSecret.includes(secret), false);
    assert.equal(await ctx.services.box.open(stored.sealedSecret, hookSecretLabel(ctx.scope.id, 'risk')), secret);

    const replaced = await gatehouseJson<HookJson>(ctx, ['hook', 'set', 'risk', '--url', HOOK_URL, '--claims', 'risk_score', '--scopes', 'payments']);
    assert.deepEqual(replaced, { name: 'risk', url: HOOK_URL, claims: ['risk_score'], scopes: ['payments'], failure: 'deny', created: false, secret: null });
    const kept = (await claims().config()).hooks?.[0];
    assert.equal(kept?.sealedSecret, stored.sealedSecret, 'a replace keeps the secret');

    assert.deepEqual(await gatehouseJson<HookJson[]>(ctx, ['hook', 'list']), [
      { name: 'risk', url: HOOK_URL, claims: ['risk_score'], scopes: ['payments'], failure: 'deny' },
    ]);
    const listed = await gatehouse(ctx, ['hook', 'list']);
    assert.match(listed.out, /risk\s+https:\/\/risk.example.com\/claims\s+risk_score\s+payments\s+deny/);
    assert.doesNotMatch(listed.out, /whsec_/);

    assert.equal((await gatehouse(ctx, ['hook', 'delete', 'risk'])).code, 0);
    assert.equal((await gatehouse(ctx, ['hook', 'delete', 'risk'])).code, 1, 'gone');
    assert.match((await gatehouse(ctx, ['hook', 'list'])).out, /No claims hooks yet/);
  });

  it('hook set refuses what the Admin API refuses, with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['hook', 'set', 'x', '--url', 'https://10.0.0.7/claims', '--claims', 'a'], /private, loopback or reserved/],
      [['hook', 'set', 'x', '--url', HOOK_URL, '--claims', 'sub'], /reserved/],
      [['hook', 'set', 'x', '--url', HOOK_URL, '--claims', 'a', '--failure', 'retry'], /--failure is deny or omit/],
      [['hook', 'set', 'x', '--claims', 'a'], /missing --url/],
      [['hook', 'set', 'x', '--url', HOOK_URL], /missing --claims/],
    ];
    for (const [argv, message] of cases) {
      const res = await gatehouse(ctx, argv);
      assert.equal(res.code, 2, `${argv.join(' ')}: ${res.out}`);
      assert.match(res.err, message);
    }
    assert.deepEqual((await claims().config()).hooks, []);
  });

  it('stripe connect takes the secret from stdin only; show and disconnect; the webhook follows', async () => {
    const stripe = new Stripe('sk_test_unused');
    const post = (): Promise<Response> => {
      const body = JSON.stringify({ id: 'evt_cli_1', object: 'event', type: 'invoice.paid', created: 1000, data: { object: {} } });
      const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET });
      return Promise.resolve(ctx.app.request(at('/integrations/stripe/webhook'), { method: 'POST', headers: { 'stripe-signature': header }, body }));
    };
    const before = await gatehouse(ctx, ['stripe', 'show']);
    assert.equal(before.code, 1);
    assert.match(before.out, /Not connected to Stripe/);

    const flag = await gatehouse(ctx, ['stripe', 'connect', `--webhook-secret=${STRIPE_SECRET}`]);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /pipe the secret in with --webhook-secret-stdin/);
    assert.equal((await gatehouse(ctx, ['stripe', 'connect'], [STRIPE_SECRET])).code, 2, 'without --webhook-secret-stdin');
    const bad = await gatehouse(ctx, ['stripe', 'connect', '--webhook-secret-stdin'], ['sk_live_not_a_webhook_secret\n']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /starts with whsec_/);

    const connected = await gatehouse(ctx, ['stripe', 'connect', '--webhook-secret-stdin'], [`${STRIPE_SECRET}\n`]);
    assert.equal(connected.code, 0, connected.err);
    assert.match(connected.out, /Connected to Stripe: subscriptions are kept per user/);
    assert.doesNotMatch(connected.out, /whsec_/);
    assert.deepEqual(await gatehouseJson(ctx, ['stripe', 'show']), { connected: true, target: 'user' });
    assert.match((await gatehouse(ctx, ['scope', 'list'])).out, /subscription/, 'the subscription scope is defined');
    ctx.clock.advance(31);
    const received = await post();
    assert.equal(received.status, 200, await received.clone().text());
    assert.equal(((await received.json()) as { outcome: string }).outcome, 'ignored');

    assert.deepEqual(await gatehouseJson(ctx, ['stripe', 'disconnect']), { connected: false });
    assert.equal((await gatehouse(ctx, ['stripe', 'show'])).code, 1);
    assert.equal((await gatehouse(ctx, ['stripe', 'disconnect'])).code, 1, 'nothing to disconnect');
    ctx.clock.advance(31);
    assert.equal((await post()).status, 404, 'the webhook has no connection any more');
    assert.ok(
      (await claims().config()).scopes.some((s) => s.name === 'subscription'),
      'the scope stays',
    );
  });
});

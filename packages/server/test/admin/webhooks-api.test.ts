import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { type Receiver, startReceiver } from '../webhooks/receiver.js';

describe('Admin API: webhooks', () => {
  let ctx: TestContext;
  let token: string;
  let receiver: Receiver;
  const deliver = async (): Promise<void> => {
    ctx.services.webhooks.kick();
    await ctx.services.background.settled();
  };

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    token = (await personToken(ctx, 'admin')).token;
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });

  it('creates an endpoint with its secret shown once, then never again', async () => {
    const res = await admin(ctx, token, 'POST', '/webhooks', { url: receiver.url('/api'), events: 'user.*, grant.revoked', description: 'CRM' });
    assert.equal(res.status, 201);
    const created = (await res.json()) as Record<string, unknown>;
    assert.match(String(created.secret), /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.equal(created.events, 'grant.revoked,user.*');
    assert.equal(res.headers.get('location')?.endsWith(`/webhooks/${created.id}`), true);
    const read = await admin(ctx, token, 'GET', `/webhooks/${created.id}`);
    const body = await read.text();
    assert.equal(read.status, 200);
    assert.ok(!body.includes(String(created.secret)) && !body.includes('secret"'), 'no secret in a read');
    const list = (await (await admin(ctx, token, 'GET', '/webhooks')).json()) as { data: { id: string }[] };
    assert.ok(list.data.some((w) => w.id === created.id));
  });

  it('answers bad input with a 400 naming the field, never a 500', async () => {
    const cases: [unknown, string][] = [
      [{ url: 'https://10.0.0.1/', events: '*' }, 'url'],
      [{ url: 'ftp://x.example/', events: '*' }, 'url'],
      [{ url: 'https://x.example/', events: 'nope' }, 'events'],
      [{ url: 'https://x.example/', events: '*', description: 'a\nb' }, 'description'],
      [{ url: 42, events: '*' }, 'url'],
      [{ events: '*' }, 'url'],
    ];
    for (const [body, field] of cases) {
      const res = await admin(ctx, token, 'POST', '/webhooks', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const problem = (await res.json()) as { errors?: { field: string }[] };
      assert.ok(
        problem.errors?.some((e) => e.field === field || e.field === `body.${field}`),
        `${JSON.stringify(body)}: ${JSON.stringify(problem)}`,
      );
    }
    assert.equal((await admin(ctx, token, 'POST', '/webhooks', '{not json')).status, 400);
    assert.equal((await admin(ctx, token, 'GET', '/webhooks/nope')).status, 404);
    assert.equal((await admin(ctx, token, 'GET', '/webhooks/x/deliveries?cursor=zzz')).status, 404);
    assert.equal((await admin(ctx, token, 'POST', '/webhooks/x/rotate-secret', { overlap_seconds: -1 })).status, 400);
  });

  it('rotates with overlap: both secrets sign until the overlap ends', async () => {
    const created = (await (await admin(ctx, token, 'POST', '/webhooks', { url: receiver.url('/rotated'), events: 'user.created' })).json()) as {
      id: string;
      secret: string;
    };
    const res = await admin(ctx, token, 'POST', `/webhooks/${created.id}/rotate-secret`, { overlap_seconds: 3600 });
    assert.equal(res.status, 200);
    const rotated = (await res.json()) as { secret: string; previous_secret_expires_at: string };
    assert.notEqual(rotated.secret, created.secret);
    assert.equal(rotated.previous_secret_expires_at, new Date((ctx.clock() + 3600) * 1000).toISOString());
    await createTestUser(ctx);
    await deliver();
    const [request] = receiver.received.filter((r) => r.path === '/rotated');
    assert.ok(request);
    assert.equal(request.headers['webhook-signature']?.split(' ').length, 2);
    new Webhook(created.secret).verify(request.body, request.headers);
    new Webhook(rotated.secret).verify(request.body, request.headers);
    // After the overlap only the new secret signs.
    ctx.clock.advance(3601);
    // The person's access token has expired meanwhile.
    token = (await personToken(ctx, 'admin')).token;
    const test = (await (await admin(ctx, token, 'POST', `/webhooks/${created.id}/test`)).json()) as { event_id: string };
    await deliver();
    const later = receiver.received.find((r) => r.headers['webhook-id'] === test.event_id);
    assert.ok(later);
    assert.equal(later.headers['webhook-signature']?.split(' ').length, 1);
    const signer = new Webhook(rotated.secret);
    assert.equal(later.headers['webhook-signature'], signer.sign(test.event_id, new Date(Number(later.headers['webhook-timestamp']) * 1000), later.body));
  });

  it('pages the delivery log and replays a delivery', async () => {
    receiver.otherwise = { status: 500, body: 'nope' };
    const created = (await (await admin(ctx, token, 'POST', '/webhooks', { url: receiver.url('/log'), events: 'user.created' })).json()) as { id: string };
    for (let i = 0; i < 3; i++) await createTestUser(ctx);
    await deliver();
    const first = (await (await admin(ctx, token, 'GET', `/webhooks/${created.id}/deliveries?limit=2`)).json()) as {
      data: { event_id: string; status: number; response: string; error: string }[];
      next_cursor: string | null;
    };
    assert.equal(first.data.length, 2);
    assert.equal(first.data[0]?.status, 500);
    assert.equal(first.data[0]?.response, 'nope');
    assert.ok(first.next_cursor);
    const second = (await (await admin(ctx, token, 'GET', `/webhooks/${created.id}/deliveries?limit=2&cursor=${first.next_cursor}`)).json()) as {
      data: { event_id: string }[];
      next_cursor: string | null;
    };
    assert.equal(second.data.length, 1);
    assert.equal(second.next_cursor, null);
    receiver.otherwise = { status: 204 };
    const eventId = second.data[0]?.event_id;
    // Still to be retried: nothing to queue.
    const pending = await admin(ctx, token, 'POST', `/webhooks/${created.id}/deliveries/${eventId}/replay`);
    assert.equal(pending.status, 202);
    assert.deepEqual(await pending.json(), { status: 'pending' });
    await deliver();
    assert.equal((await admin(ctx, token, 'POST', `/webhooks/${created.id}/deliveries/unknown/replay`)).status, 404);
  });

  it('shows and changes no endpoint of another issuer', async () => {
    const beta = await secondIssuer(ctx, 'beta-api');
    const { createWebhook } = await import('../../src/webhooks/service.js');
    const { endpoint } = await createWebhook(beta, { url: 'https://hooks.example.com/beta', events: '*' });
    assert.equal((await admin(ctx, token, 'GET', `/webhooks/${endpoint.id}`)).status, 404);
    assert.equal((await admin(ctx, token, 'PATCH', `/webhooks/${endpoint.id}`, { enabled: false })).status, 404);
    assert.equal((await admin(ctx, token, 'DELETE', `/webhooks/${endpoint.id}`)).status, 404);
    assert.equal((await beta.repos.webhooks.find(endpoint.id))?.enabled, true);
  });
});

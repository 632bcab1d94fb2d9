import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { admin, machineToken, personToken } from '../helpers/admin-api.js';

interface AuditPage {
  data: {
    id: string;
    type: string;
    time: string;
    actor: string | null;
    address: string | null;
    subject: Record<string, string | null>;
    data: Record<string, unknown>;
  }[];
  next_cursor: string | null;
}

describe('Admin API: audit log', () => {
  let ctx: TestContext;
  let reader: string;
  let start: number;
  before(async () => {
    ctx = await createTestContext();
    reader = (await machineToken(ctx, 'admin:read')).token;
    // After the token's own events: the log from `start` on holds only the events below.
    ctx.clock.advance(1);
    start = ctx.clock();
    const events = ctx.scope.repos.events;
    await events.record({ type: 'user.created', userId: 'u-1', actor: 'cli', payload: {} });
    await events.record({ type: 'client.created', clientId: 'c-1', actor: 'user:u-9', payload: { client_name: 'Shop', public: false } });
    ctx.clock.advance(60);
    await events.record({ type: 'organization.created', actor: 'cli', payload: { organization_id: 'org-1', name: 'Acme' } });
    await events.record({ type: 'user.disabled', userId: 'u-1', actor: 'user:u-9', address: '203.0.113.9', payload: {} });
  });
  after(() => ctx.close());

  const get = async (query: string): Promise<AuditPage> => {
    const res = await admin(ctx, reader, 'GET', `/audit-log?since=${start}${query}`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as AuditPage;
  };

  it('lists newest first, with actor, address, subject and data', async () => {
    const page = await get('');
    assert.deepEqual(
      page.data.map((e) => e.type),
      ['user.disabled', 'organization.created', 'client.created', 'user.created'],
    );
    assert.deepEqual(page.data[0] && { ...page.data[0], id: undefined }, {
      id: undefined,
      type: 'user.disabled',
      time: new Date((start + 60) * 1000).toISOString(),
      actor: 'user:u-9',
      address: '203.0.113.9',
      subject: { user_id: 'u-1', client_id: null, organization_id: null },
      data: {},
    });
    assert.deepEqual(page.data[1]?.subject, { user_id: null, client_id: null, organization_id: 'org-1' });
    assert.equal(page.next_cursor, null);
  });

  it('pages with a cursor, stable while events are recorded', async () => {
    const first = await get('&limit=3');
    assert.equal(first.data.length, 3);
    assert.ok(first.next_cursor);
    ctx.clock.advance(1);
    await ctx.scope.repos.events.record({ type: 'user.enabled', userId: 'u-1', payload: {} });
    const second = await get(`&limit=3&cursor=${encodeURIComponent(first.next_cursor)}`);
    assert.deepEqual(
      second.data.map((e) => e.type),
      ['user.created'],
    );
    assert.equal(second.next_cursor, null);
  });

  it('filters by types, user, client, actor, and a time range in RFC 3339 or Unix seconds', async () => {
    const types = async (q: string): Promise<string[]> => (await get(q)).data.map((e) => e.type);
    assert.deepEqual(await types('&type=user.created,client.created'), ['client.created', 'user.created']);
    assert.deepEqual(await types('&user_id=u-1&type=user.created,user.disabled'), ['user.disabled', 'user.created']);
    assert.deepEqual(await types('&client_id=c-1'), ['client.created']);
    assert.deepEqual(await types('&actor=user:u-9'), ['user.disabled', 'client.created']);
    const until = new Date((start + 59) * 1000).toISOString();
    assert.deepEqual(await types(`&until=${until}`), ['client.created', 'user.created']);
    assert.deepEqual(await types(`&until=${start + 59}&type=user.created`), ['user.created']);
    assert.deepEqual(await types(`&until=${encodeURIComponent(new Date(start * 1000).toISOString().replace('Z', '+00:00'))}`), [
      'client.created',
      'user.created',
    ]);
  });

  it('refuses an unknown type, a bad time or a foreign cursor with a problem naming the parameter', async () => {
    for (const [query, field] of [
      ['type=user.created,user.exploded', 'query.type'],
      ['since=yesterday', 'query.since'],
      ['until=2026-12-01', 'query.until'],
      ['cursor=bm90LW91cnM', 'query.cursor'],
      ['colour=red', 'query.colour'],
    ]) {
      const res = await admin(ctx, reader, 'GET', `/audit-log?${query}`);
      assert.equal(res.status, 400, query);
      const problem = (await res.json()) as { errors: { field: string }[] };
      assert.deepEqual(
        problem.errors.map((e) => e.field),
        [field],
        query,
      );
    }
  });

  it('never shows a secret, whatever a payload holds', async () => {
    ctx.clock.advance(1);
    await ctx.scope.repos.events.record({
      type: 'mail.requested',
      payload: { template: 'x', recipient: 'ada@example.com', locale: 'en', data: { reset_token: 'ghr_s3cret', name: 'Ada' } },
    });
    const page = await get('&type=mail.requested');
    assert.deepEqual(page.data[0]?.data, { template: 'x', recipient: 'ada@example.com', locale: 'en', data: { reset_token: '[redacted]', name: 'Ada' } });
    assert.doesNotMatch(JSON.stringify(page), /s3cret/);
  });

  it('records the actor of an API change: the audit log shows who did it', async () => {
    const { token, userId } = await personToken(ctx, 'admin');
    const created = await admin(ctx, token, 'POST', '/clients', { type: 'machine', client_name: 'Audited', scope: 'x' });
    assert.equal(created.status, 201);
    const page = await get(`&type=client.created&actor=user:${userId}`);
    assert.equal(page.data.length, 1);
    assert.equal(page.data[0]?.subject.client_id, ((await created.json()) as { client_id: string }).client_id);
  });
});

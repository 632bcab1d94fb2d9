import { at } from '../helpers/prefix.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { admin, machineToken, personToken } from '../helpers/admin-api.js';
import { tokenRequest } from '../helpers/flow.js';

describe('Admin API: clients', () => {
  let ctx: TestContext;
  let writer: string;
  before(async () => {
    ctx = await createTestContext();
    writer = (await personToken(ctx, 'admin')).token;
  });
  after(() => ctx.close());

  it('creates a web client whose secret is shown once and works at the token endpoint', async () => {
    const res = await admin(ctx, writer, 'POST', '/clients', {
      type: 'web',
      client_name: 'Payments portal',
      redirect_uris: ['https://portal.example.com/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'openid profile email payments',
    });
    assert.equal(res.status, 201, await res.clone().text());
    const created = (await res.json()) as Record<string, unknown>;
    assert.equal(created.type, 'web');
    assert.equal(created.token_endpoint_auth_method, 'client_secret_basic');
    assert.match(String(created.client_secret), /^ghs_/);
    assert.equal(res.headers.get('location'), at(`/admin/api/v1/clients/${created.client_id}`));
    assert.equal(res.headers.get('etag'), '"1"');
    const cc = await tokenRequest(ctx, String(created.client_id), String(created.client_secret), { grant_type: 'client_credentials', scope: 'payments' });
    assert.equal(cc.status, 200);

    const read = await admin(ctx, writer, 'GET', `/clients/${created.client_id}`);
    assert.equal(read.status, 200);
    const shown = (await read.json()) as Record<string, unknown>;
    assert.equal(shown.client_secret, undefined, 'never shown again');
    assert.equal(shown.client_name, 'Payments portal');
  });

  it('refuses a wrong field with a problem naming it', async () => {
    const res = await admin(ctx, writer, 'POST', '/clients', { type: 'web', client_name: 'X', redirect_uris: ['http://evil.example.com/cb'] });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const problem = (await res.json()) as { type: string; errors: { field: string }[] };
    assert.equal(problem.type, 'urn:gatehouse:problem:invalid_request');
    assert.deepEqual(
      problem.errors.map((e) => e.field),
      ['redirect_uris'],
    );
    const unknown = await admin(ctx, writer, 'POST', '/clients', { type: 'web', client_name: 'X', redirect_uris: ['https://a.example/cb'], colour: 'red' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(
      ((await unknown.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['colour'],
    );
    const broken = await admin(ctx, writer, 'POST', '/clients', '{"type":');
    assert.equal(broken.status, 400);
  });

  it('updates with If-Match: the stale revision gets 412 and nothing is lost', async () => {
    const created = (await (
      await admin(ctx, writer, 'POST', '/clients', { type: 'spa', client_name: 'Dashboard', redirect_uris: ['https://app.example.com/cb'] })
    ).json()) as { client_id: string };
    const path = `/clients/${created.client_id}`;
    const first = await admin(
      ctx,
      writer,
      'PATCH',
      path,
      { redirect_uris: ['https://app.example.com/cb', 'https://app.example.com/cb2'] },
      { 'if-match': '"1"' },
    );
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(first.headers.get('etag'), '"2"');
    const second = await admin(ctx, writer, 'PATCH', path, { client_name: 'Overwritten' }, { 'if-match': '"1"' });
    assert.equal(second.status, 412);
    const now = (await (await admin(ctx, writer, 'GET', path)).json()) as { client_name: string; redirect_uris: string[] };
    assert.equal(now.client_name, 'Dashboard');
    assert.equal(now.redirect_uris.length, 2);
  });

  it('pages through clients with cursors, in a stable order, and filters by q', async () => {
    // Sorted by registration time, then client_id: a second apart, they come back in the order made.
    for (let i = 0; i < 5; i++) {
      ctx.clock.advance(1);
      await admin(ctx, writer, 'POST', '/clients', { type: 'machine', client_name: `Batch job ${i}`, scope: 'payments' });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin(ctx, writer, 'GET', `/clients?q=batch%20job&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200);
      const page = (await res.json()) as { data: { client_name: string }[]; next_cursor: string | null };
      seen.push(...page.data.map((c) => c.client_name));
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, ['Batch job 0', 'Batch job 1', 'Batch job 2', 'Batch job 3', 'Batch job 4']);
    assert.equal((await admin(ctx, writer, 'GET', '/clients?cursor=nonsense')).status, 400);
    assert.equal((await admin(ctx, writer, 'GET', '/clients?limit=0')).status, 400);
  });

  it('answers a create retried with the same Idempotency-Key once, with the same secret', async () => {
    const body = { type: 'machine', client_name: 'Reconciler', scope: 'payments' };
    const one = await admin(ctx, writer, 'POST', '/clients', body, { 'idempotency-key': 'k-1' });
    const two = await admin(ctx, writer, 'POST', '/clients', body, { 'idempotency-key': 'k-1' });
    assert.equal(one.status, 201);
    assert.equal(two.status, 201);
    assert.equal(two.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await two.json(), await one.json());
    const other = await admin(ctx, writer, 'POST', '/clients', { ...body, client_name: 'Other' }, { 'idempotency-key': 'k-1' });
    assert.equal(other.status, 422);
    const list = (await (await admin(ctx, writer, 'GET', '/clients?q=reconciler')).json()) as { data: unknown[] };
    assert.equal(list.data.length, 1);
  });

  it('deletes a client, and its secret stops working', async () => {
    const created = (await (await admin(ctx, writer, 'POST', '/clients', { type: 'machine', client_name: 'Doomed', scope: 'payments' })).json()) as {
      client_id: string;
      client_secret: string;
    };
    assert.equal((await admin(ctx, writer, 'DELETE', `/clients/${created.client_id}`)).status, 204);
    assert.equal((await admin(ctx, writer, 'GET', `/clients/${created.client_id}`)).status, 404);
    assert.equal((await tokenRequest(ctx, created.client_id, created.client_secret, { grant_type: 'client_credentials' })).status, 401);
  });

  it('lets only the CLI or a person who administers the issuer hand out admin scopes', async () => {
    const machine = (await machineToken(ctx, 'admin:read admin:write')).token;
    const byMachine = await admin(ctx, machine, 'POST', '/clients', { type: 'machine', client_name: 'Escalate', scope: 'admin:write' });
    assert.equal(byMachine.status, 400);
    assert.deepEqual(
      ((await byMachine.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['scope'],
    );
    const byPerson = await admin(ctx, writer, 'POST', '/clients', { type: 'machine', client_name: 'Automation', scope: 'admin:read' });
    assert.equal(byPerson.status, 201);
  });
});

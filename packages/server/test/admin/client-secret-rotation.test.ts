import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureConsoleClient } from '../../src/console/client.js';
import { type TestContext, createTestClient, createTestContext } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { tokenRequest } from '../helpers/flow.js';
import { postForm } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';
import { loggedContext } from '../helpers/logged-statements.js';

describe('Admin API: client secret rotation with an overlap window', () => {
  let ctx: TestContext;
  let writer: string;
  let writerId: string;
  before(async () => {
    ctx = await createTestContext();
    ({ token: writer, userId: writerId } = await personToken(ctx, 'admin'));
  });
  after(() => ctx.close());

  const machine = async (): Promise<{ id: string; secret: string }> => {
    const { client, secret } = await createTestClient(ctx, { grantTypes: ['client_credentials'], scopes: ['payments'], redirectUris: [] });
    return { id: client.id, secret: secret as string };
  };
  const cc = (id: string, secret: string): Promise<Response> => tokenRequest(ctx, id, secret, { grant_type: 'client_credentials', scope: 'payments' });
  const introspect = (id: string, secret: string, token: string): Promise<Response> =>
    postForm(ctx, at('/oauth/introspect'), { token }, { basic: { id, secret } });

  it('with overlap 0 the old secret stops at once; a second rotation ends the first one’s overlap', async () => {
    const { id, secret: first } = await machine();
    const r1 = (await (await admin(ctx, writer, 'POST', `/clients/${id}/secret`, { overlap_seconds: 600 })).json()) as { client_secret: string };
    const r2 = await admin(ctx, writer, 'POST', `/clients/${id}/secret`, { overlap_seconds: 0 });
    assert.equal(r2.status, 200);
    const second = (await r2.json()) as { client_secret: string; previous_secret_expires_at: null };
    assert.equal(second.previous_secret_expires_at, null);
    assert.equal((await cc(id, first)).status, 401);
    assert.equal((await cc(id, r1.client_secret)).status, 401);
    assert.equal((await cc(id, second.client_secret)).status, 200);
  });

  it('honours If-Match and refuses a bad overlap', async () => {
    const { id } = await machine();
    assert.equal((await admin(ctx, writer, 'POST', `/clients/${id}/secret`, { overlap_seconds: 60 }, { 'if-match': '"7"' })).status, 412);
    assert.equal((await admin(ctx, writer, 'POST', `/clients/${id}/secret`, { overlap_seconds: 60 }, { 'if-match': '"1"' })).status, 200);
    const big = await admin(ctx, writer, 'POST', `/clients/${id}/secret`, { overlap_seconds: 604801 });
    assert.equal(big.status, 400);
    assert.deepEqual(
      ((await big.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['overlap_seconds'],
    );
    assert.equal((await admin(ctx, writer, 'POST', '/clients/gh_nobody/secret', { overlap_seconds: 0 })).status, 404);
  });

  it('answers 409 for a public client', async () => {
    const { client } = await createTestClient(ctx, { isPublic: true });
    const res = await admin(ctx, writer, 'POST', `/clients/${client.id}/secret`, { overlap_seconds: 0 });
    assert.equal(res.status, 409);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await res.json()) as { type: string }).type, 'urn:gatehouse:problem:conflict');
  });

  it('refuses to change, delete or rotate the console’s own client (409), but shows it', async () => {
    const consoleClient = await ensureConsoleClient(ctx.scope);
    const path = `/clients/${consoleClient.id}`;
    assert.equal((await admin(ctx, writer, 'GET', path)).status, 200);
    assert.equal((await admin(ctx, writer, 'PATCH', path, { description: 'Mine now' })).status, 409);
    assert.equal((await admin(ctx, writer, 'DELETE', path)).status, 409);
    assert.equal((await admin(ctx, writer, 'POST', `${path}/secret`, { overlap_seconds: 0 })).status, 409);
    assert.ok(await ctx.scope.repos.clients.find(consoleClient.id));
  });
  // Last: it moves the clock past the writer's token too.
  it('keeps the old secret working during the overlap, at token and introspection, and never after', async () => {
    const { id, secret: old } = await machine();
    const token = ((await (await cc(id, old)).json()) as { access_token: string }).access_token;
    const res = await admin(ctx, writer, 'POST', `/clients/${id}/secret`, { overlap_seconds: 3600 });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { client_secret: string; previous_secret_expires_at: string };
    assert.match(body.client_secret, /^ghs_/);
    assert.equal(body.previous_secret_expires_at, new Date((ctx.clock() + 3600) * 1000).toISOString());
    assert.equal(res.headers.get('etag'), '"2"');

    assert.equal((await cc(id, old)).status, 200, 'old secret during the overlap');
    assert.equal((await cc(id, body.client_secret)).status, 200, 'new secret');
    assert.equal((await introspect(id, old, token)).status, 200);
    assert.equal((await introspect(id, body.client_secret, token)).status, 200);

    ctx.clock.advance(3599);
    assert.equal((await cc(id, old)).status, 200, 'one second before the end');
    ctx.clock.advance(1);
    assert.equal((await cc(id, old)).status, 401, 'at the end it stops');
    assert.equal((await introspect(id, old, token)).status, 401);
    assert.equal((await cc(id, body.client_secret)).status, 200);

    const [event] = await ctx.scope.repos.events.list({ type: 'client.secret_rotated', clientId: id });
    assert.equal(event?.actor, `user:${writerId}`);
  });
});

describe('client secret rotation: the previous secret costs no query', () => {
  it('a token request with the previous secret issues the same statements as with the current one', async () => {
    const { ctx, statements } = await loggedContext();
    try {
      const { client, secret } = await createTestClient(ctx, { grantTypes: ['client_credentials'], scopes: ['payments'], redirectUris: [] });
      const rotated = await ctx.scope.repos.clients.rotateSecret(client.id, { overlapSeconds: 600 });
      assert.ok(rotated);
      const count = async (presented: string): Promise<number> => {
        statements.length = 0;
        const res = await tokenRequest(ctx, client.id, presented, { grant_type: 'client_credentials', scope: 'payments' });
        assert.equal(res.status, 200);
        return statements.length;
      };
      await count(rotated.secret);
      const current = await count(rotated.secret);
      assert.equal(await count(secret as string), current);
    } finally {
      await ctx.close();
    }
  });
});

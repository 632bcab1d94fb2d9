// The SDK's revocation feed and webhook receiver against a real, in-process Gatehouse: a token
// revoked at the provider (RFC 7009, the account page, the Admin API) is refused by the
// resource server after the next poll or delivery, and accepted until then (the check is local).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { listedApps, openAccountPage, postRemove, tokensFor } from '../../server/test/helpers/account-pages.js';
import { admin, machineToken } from '../../server/test/helpers/admin-api.js';
import { inProcessBrowser } from '../../server/test/helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../../server/test/helpers/harness.js';
import { type Confidential, basic, confidentialClient, revoke } from '../../server/test/helpers/oauth-requests.js';
import { createWebhook } from '../../server/src/webhooks/service.js';
import { BearerTokenError, type RevocationCheck, createResourceServer, createRevocationFeed, createRevocationWebhook } from '../src/index.js';

let ctx: TestContext;
let app: Confidential;
let api: Confidential;

before(async () => {
  ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  app = await confidentialClient(ctx, { name: 'Payments App' });
  api = await confidentialClient(ctx, { name: 'Payments API', grantTypes: ['client_credentials'], redirectUris: [] });
});
after(() => ctx.close());

const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => ctx.app.fetch(new Request(input, init));

function resourceServer(revocations: RevocationCheck) {
  return createResourceServer({ issuerUrl: ctx.config.issuer, audience: ctx.config.issuer, fetch, clock: ctx.clock, revocations });
}

function feed() {
  return createRevocationFeed({ issuerUrl: ctx.config.issuer, clientId: api.id, clientSecret: api.secret, fetch, clock: ctx.clock });
}

async function assertRefused(verify: Promise<unknown>): Promise<void> {
  await assert.rejects(verify, (e: unknown) => {
    assert.ok(e instanceof BearerTokenError, String(e));
    assert.equal(e.status, 401);
    assert.equal(e.error, 'invalid_token');
    assert.equal(e.error_description, 'The access token was revoked');
    assert.match(e.wwwAuthenticate, /error="invalid_token"/);
    return true;
  });
}

describe('polling the revocation feed', () => {
  it('a grant revoked with its refresh token (RFC 7009) is refused after the next refresh, and not before', async () => {
    const f = feed();
    await f.refresh();
    const rs = resourceServer(f);
    const t = await tokensFor(ctx, app, (await createTestUser(ctx)).email, inProcessBrowser(ctx));
    assert.equal((await rs.verify(t.access)).jti, decodeJwt(t.access).jti);
    assert.equal((await revoke(ctx, basic(app), t.refresh)).status, 200);
    await rs.verify(t.access); // Nothing told the resource server yet: its check is local.
    await f.refresh();
    await assertRefused(rs.verify(t.access));
    assert.ok(f.lastSyncedAt !== undefined);
  });

  it('an access token revoked on its own is refused by its jti; the grant’s other tokens stay good', async () => {
    const f = feed();
    const rs = resourceServer(f);
    const t = await tokensFor(ctx, app, (await createTestUser(ctx)).email, inProcessBrowser(ctx));
    const refreshed = await ctx.app.request(`${ctx.config.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa(`${app.id}:${app.secret}`)}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh }).toString(),
    });
    const second = ((await refreshed.json()) as { access_token: string }).access_token;
    assert.equal((await revoke(ctx, basic(app), t.access, 'access_token')).status, 200);
    await f.refresh();
    await assertRefused(rs.verify(t.access));
    assert.equal((await rs.verify(second)).sub, decodeJwt(second).sub);
  });

  it('"Remove access" on the account page and DELETE of a grant in the Admin API reach the resource server', async () => {
    const f = feed();
    const rs = resourceServer(f);
    const browser = inProcessBrowser(ctx);
    const viaPage = await tokensFor(ctx, app, (await createTestUser(ctx)).email, browser);
    const listed = listedApps((await openAccountPage(browser)).html).find((a) => a.name === 'Payments App');
    assert.ok(listed);
    assert.equal((await postRemove(browser, listed)).status, 303);

    const user = await createTestUser(ctx);
    const viaApi = await tokensFor(ctx, app, user.email, inProcessBrowser(ctx));
    const operator = (await machineToken(ctx, 'admin:read admin:write')).token;
    const gid = decodeJwt(viaApi.access).gid as string;
    const res = await admin(ctx, operator, 'DELETE', `/users/${user.id}/grants/${gid}`);
    assert.equal(res.status, 204, await res.text());

    await rs.verify(viaPage.access);
    await f.refresh();
    await assertRefused(rs.verify(viaPage.access));
    await assertRefused(rs.verify(viaApi.access));
  });

  it('a failed poll rejects refresh() and keeps what is known; a wrong secret is refused', async () => {
    let down = false;
    const flaky = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = new Request(input, init).url;
      if (down && url.includes('/oauth/revocations')) return new Response('{}', { status: 503 });
      return fetch(input, init);
    };
    const f = createRevocationFeed({ issuerUrl: ctx.config.issuer, clientId: api.id, clientSecret: api.secret, fetch: flaky, clock: ctx.clock });
    const rs = resourceServer(f);
    const t = await tokensFor(ctx, app, (await createTestUser(ctx)).email, inProcessBrowser(ctx));
    await revoke(ctx, basic(app), t.refresh);
    await f.refresh();
    down = true;
    await assert.rejects(f.refresh());
    await assertRefused(rs.verify(t.access));
    const wrong = createRevocationFeed({ issuerUrl: ctx.config.issuer, clientId: api.id, clientSecret: 'wrong', fetch, clock: ctx.clock });
    await assert.rejects(wrong.refresh(), /401/);
  });
});

/** A loopback HTTP server handing each request to `handle` as a Web Request. */
async function serve(handle: (request: Request) => Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const answer = await handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/revocations`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the revocation webhook receiver', () => {
  it('verifies Gatehouse’s deliveries of grant.revoked and access_token.revoked and refuses those tokens', async () => {
    let receiver: ReturnType<typeof createRevocationWebhook> | undefined;
    const statuses: number[] = [];
    const server = await serve(async (request) => {
      const answer = receiver ? await receiver.handle(request) : new Response(null, { status: 503 });
      statuses.push(answer.status);
      return answer;
    });
    try {
      const { secret } = await createWebhook(ctx.scope, { url: server.url, events: 'grant.revoked,access_token.revoked' });
      receiver = createRevocationWebhook({ secret, issuerUrl: ctx.config.issuer, clock: ctx.clock });
      const rs = resourceServer(receiver);
      const a = await tokensFor(ctx, app, (await createTestUser(ctx)).email, inProcessBrowser(ctx));
      const b = await tokensFor(ctx, app, (await createTestUser(ctx)).email, inProcessBrowser(ctx));
      await revoke(ctx, basic(app), a.refresh);
      await revoke(ctx, basic(app), b.access, 'access_token');
      await rs.verify(a.access);
      ctx.services.webhooks.kick();
      await ctx.services.background.settled();
      assert.deepEqual(statuses, [204, 204]);
      await assertRefused(rs.verify(a.access));
      await assertRefused(rs.verify(b.access));
    } finally {
      await server.close();
    }
  });

  it('refuses a delivery with a wrong signature, another secret or a stale timestamp, and learns nothing from it', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const receiver = createRevocationWebhook({ secret, clock: ctx.clock });
    const { webhookSignature } = await import('../../server/src/webhooks/signing.js');
    const body = JSON.stringify({ type: 'grant.revoked', timestamp: '', data: { grant_id: 'g-1' } });
    const send = (signature: string, timestamp = ctx.clock()) =>
      receiver.handle(
        new Request('http://127.0.0.1/hook', {
          method: 'POST',
          headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
          body,
        }),
      );
    const other = `whsec_${Buffer.alloc(32, 8).toString('base64')}`;
    assert.equal((await send(webhookSignature([other], 'msg_1', ctx.clock(), body))).status, 401);
    assert.equal((await send('v1,AAAA')).status, 401);
    assert.equal((await send(webhookSignature([secret], 'msg_1', ctx.clock() - 600, body), ctx.clock() - 600)).status, 401);
    assert.equal(receiver.isRevoked({ gid: 'g-1' }), false);
    assert.equal((await send(webhookSignature([other, secret], 'msg_1', ctx.clock(), body))).status, 204, 'either secret of a rotation');
    assert.equal(receiver.isRevoked({ gid: 'g-1' }), true);
  });
});

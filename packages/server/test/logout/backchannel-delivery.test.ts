import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type JSONWebKeySet, createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { ACTIVITY_TYPES } from '../../src/account/activity.js';
import { BACKCHANNEL_TIMING } from '../../src/logout/backchannel.js';
import { validateNewClient } from '../../src/services/clients.js';
import { endSession } from '../../src/services/sessions.js';
import { EventDeliveryRepository } from '../../src/store/repos/event-deliveries.js';
import { machineToken, admin } from '../helpers/admin-api.js';
import { gatehouse, gatehouseJson } from '../helpers/cli-run.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import { confidentialClient } from '../helpers/oauth-requests.js';
import { ISSUER, at } from '../helpers/prefix.js';
import { type Receiver, startReceiver } from '../webhooks/receiver.js';

/** The logout tokens a receiver got on `path`. */
function tokensAt(receiver: Receiver, path: string): string[] {
  return receiver.received.filter((r) => r.path === path).map((r) => new URLSearchParams(r.body).get('logout_token') ?? '');
}

describe('back-channel logout delivery', () => {
  let ctx: TestContext;
  let receiver: Receiver;

  const deliver = async (): Promise<void> => {
    ctx.services.backchannel.kick();
    await ctx.services.background.settled();
  };

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answers.length = 0;
    receiver.otherwise = { status: 200 };
  });

  /** A user signed in to `clientIds` (each a confidential client) through one browser session. */
  async function signedInTo(...clients: { id: string; secret: string }[]): Promise<{ userId: string; sessionId: string; sid: string }> {
    const user = await createTestUser(ctx);
    let sid = '';
    let browser: Parameters<typeof signInForTokens>[4] | undefined;
    for (const client of clients) {
      const result = await signInForTokens(ctx, client, user.email, {}, browser);
      browser = result.browser;
      sid = decodeJwt(result.tokens.id_token as string).sid as string;
    }
    const [session] = await ctx.scope.repos.sessions.listForUser(user.id);
    assert.ok(session && session.sid === sid);
    return { userId: user.id, sessionId: session.id, sid };
  }

  it('discovery advertises back-channel logout with sid', async () => {
    const meta = (await (await ctx.app.request(at('/.well-known/openid-configuration'))).json()) as Record<string, unknown>;
    assert.equal(meta.backchannel_logout_supported, true);
    assert.equal(meta.backchannel_logout_session_supported, true);
  });

  it('tells only the clients the session signed in to that registered a URI, once each', async () => {
    const told = await confidentialClient(ctx, { backchannelLogoutUri: receiver.url('/told') });
    const silent = await confidentialClient(ctx);
    const elsewhere = await confidentialClient(ctx, { backchannelLogoutUri: receiver.url('/elsewhere') });
    const s = await signedInTo(told, silent);
    await ctx.scope.transaction((repos) => endSession(repos, s.sessionId, 'logout'));
    await deliver();
    await deliver();
    assert.equal(tokensAt(receiver, '/told').length, 1);
    assert.equal(tokensAt(receiver, '/elsewhere').length, 0, `${elsewhere.id} was never signed in to`);
    const events = await ctx.scope.repos.events.list({ type: 'logout.backchannel_delivered', userId: s.userId });
    assert.deepEqual(
      events.map((e) => [e.clientId, e.payload]),
      [[told.id, { sid: s.sid, attempts: 1, status: 200 }]],
    );
  });

  it('retries a receiver that fails twice, each try a fresh token, and delivers on the third', async () => {
    const client = await confidentialClient(ctx, { backchannelLogoutUri: receiver.url('/flaky') });
    const s = await signedInTo(client);
    receiver.answers.push({ status: 500 }, { status: 503 });
    await ctx.scope.transaction((repos) => endSession(repos, s.sessionId, 'logout'));
    await deliver();
    assert.equal(tokensAt(receiver, '/flaky').length, 1);
    await deliver();
    assert.equal(tokensAt(receiver, '/flaky').length, 1, 'not before its back-off');
    ctx.clock.advance(BACKCHANNEL_TIMING.firstRetrySeconds);
    await deliver();
    assert.equal(tokensAt(receiver, '/flaky').length, 2);
    ctx.clock.advance(BACKCHANNEL_TIMING.firstRetrySeconds * 2);
    await deliver();
    const tokens = tokensAt(receiver, '/flaky');
    assert.equal(tokens.length, 3);
    const jwks = createLocalJWKSet((await (await ctx.app.request(at('/.well-known/jwks.json'))).json()) as JSONWebKeySet);
    const last = await jwtVerify(tokens[2] ?? '', jwks, { issuer: ISSUER, audience: client.id, typ: 'logout+jwt', currentDate: new Date(ctx.clock() * 1000) });
    assert.equal(last.payload.sid, s.sid);
    assert.equal(new Set(tokens.map((t) => decodeJwt(t).jti)).size, 3, 'each attempt is a new token');
    ctx.clock.advance(3600);
    await deliver();
    assert.equal(tokensAt(receiver, '/flaky').length, 3, 'delivered: never again');
    const failed = await ctx.scope.repos.events.list({ type: 'logout.backchannel_failed', userId: s.userId });
    assert.deepEqual(
      failed.map((e) => e.payload as { attempts: number; will_retry: boolean }).map((p) => [p.attempts, p.will_retry]),
      [
        [2, true],
        [1, true],
      ],
    );
    // Bookkeeping of the delivery, not something the user did: not on their activity page.
    assert.equal(ACTIVITY_TYPES.includes('logout.backchannel_failed'), false);
    const delivered = await ctx.scope.repos.events.list({ type: 'logout.backchannel_delivered', userId: s.userId });
    assert.deepEqual(
      delivered.map((e) => (e.payload as { attempts: number }).attempts),
      [3],
    );
  });

  it('a client that removed its URI since is not told', async () => {
    const client = await confidentialClient(ctx, { backchannelLogoutUri: receiver.url('/removed') });
    const s = await signedInTo(client);
    await ctx.scope.transaction((repos) => endSession(repos, s.sessionId, 'logout'));
    await ctx.scope.repos.clients.update(client.id, { backchannelLogoutUri: null });
    await deliver();
    assert.equal(tokensAt(receiver, '/removed').length, 0);
    assert.equal(await new EventDeliveryRepository(ctx.services.store.db, ctx.clock).pending(`backchannel:${client.id}:${s.sid}`), 0);
  });

  it("another issuer's sessions never reach this issuer's clients", async () => {
    const beta: IssuerScope = await secondIssuer(ctx, 'beta-logout');
    const client = await confidentialClient(ctx, { backchannelLogoutUri: receiver.url('/alpha') });
    const betaUser = await beta.repos.users.create({ email: 'beta@example.com', passwordHash: null });
    const betaSession = (await beta.repos.sessions.create(betaUser.id, 3600)).session;
    // An alpha grant naming beta's sid: were the fan-out not scoped to its issuer, ending beta's session would tell alpha's client.
    const alphaUser = await createTestUser(ctx);
    await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: alphaUser.id, scope: 'openid', sid: betaSession.sid, authTime: 0, resource: null },
      3600,
    );
    await beta.transaction((repos) => endSession(repos, betaSession.id, 'logout'));
    await deliver();
    assert.equal(tokensAt(receiver, '/alpha').length, 0);
    const s = await signedInTo(client);
    await ctx.scope.transaction((repos) => endSession(repos, s.sessionId, 'logout'));
    await deliver();
    assert.equal(tokensAt(receiver, '/alpha').length, 1);
  });
});

describe('back-channel logout to a private address the operator did not allow', () => {
  it('is refused, never sent, and ends in the dead letter with its event', async () => {
    const ctx = await createTestContext();
    const receiver = await startReceiver();
    try {
      const client = await confidentialClient(ctx, { backchannelLogoutUri: receiver.url('/private') });
      const user = await createTestUser(ctx);
      await signInForTokens(ctx, client, user.email);
      const [session] = await ctx.scope.repos.sessions.listForUser(user.id);
      assert.ok(session);
      await ctx.scope.transaction((repos) => endSession(repos, session.id, 'logout'));
      ctx.services.backchannel.kick();
      await ctx.services.background.settled();
      assert.equal(receiver.received.length, 0);
      const dead = await new EventDeliveryRepository(ctx.services.store.db, ctx.clock).dead(`backchannel:${client.id}:${session.sid}`);
      assert.equal(dead.length, 1, 'a dead letter, one row per client and session');
      const [failed] = await ctx.scope.repos.events.list({ type: 'logout.backchannel_failed', userId: user.id });
      const payload = failed?.payload as { will_retry: boolean; error: string };
      assert.equal(payload.will_retry, false);
      assert.match(payload.error, /GATEHOUSE_WEBHOOK_ALLOWED_HOSTS/);
    } finally {
      await receiver.close();
      await ctx.close();
    }
  });
});

describe('registering a back-channel logout URI', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  const base = { name: 'App', redirectUris: ['https://app.example.com/cb'] };

  it('takes https (a query too) and http on a loopback host; refuses the rest', () => {
    assert.equal(
      validateNewClient({ ...base, backchannelLogoutUri: 'https://app.example.com/bcl?tenant=1' }).backchannelLogoutUri,
      'https://app.example.com/bcl?tenant=1',
    );
    assert.equal(validateNewClient({ ...base, backchannelLogoutUri: 'http://localhost:4000/bcl' }).backchannelLogoutUri, 'http://localhost:4000/bcl');
    assert.equal(validateNewClient(base).backchannelLogoutUri, null);
    for (const [uri, why] of [
      ['http://app.example.com/bcl', /must use https/],
      ['https://app.example.com/bcl#x', /fragment/],
      ['/bcl', /not an absolute URL/],
      ['https://user:pw@app.example.com/bcl', /user name or password/],
      ['javascript:alert(1)', /https:\/\/host/],
    ] as const) {
      assert.throws(() => validateNewClient({ ...base, backchannelLogoutUri: uri }, { backchannelLogoutUri: '--backchannel-logout-uri' }), why, uri);
    }
    assert.throws(
      () => validateNewClient({ name: 'Job', appType: 'machine', scope: 'orders', backchannelLogoutUri: 'https://job.example.com/bcl' }),
      /machine client signs no one in/,
    );
  });

  it('through the Admin API: create, show, change, remove', async () => {
    const { token } = await machineToken(ctx, 'admin:read admin:write');
    const created = await admin(ctx, token, 'POST', '/clients', {
      type: 'web',
      client_name: 'Portal',
      redirect_uris: ['https://portal.example.com/cb'],
      backchannel_logout_uri: 'https://portal.example.com/bcl',
      backchannel_logout_session_required: true,
    });
    assert.equal(created.status, 201, await created.clone().text());
    const body = (await created.json()) as Record<string, unknown>;
    assert.equal(body.backchannel_logout_uri, 'https://portal.example.com/bcl');
    assert.equal(body.backchannel_logout_session_required, true);
    const id = body.client_id as string;
    const refused = await admin(ctx, token, 'PATCH', `/clients/${id}`, { backchannel_logout_uri: 'https://portal.example.com/bcl#frag' });
    assert.equal(refused.status, 400, await refused.clone().text());
    assert.match(await refused.text(), /backchannel_logout_uri/);
    const removed = await admin(ctx, token, 'PATCH', `/clients/${id}`, { backchannel_logout_uri: '' });
    assert.equal(removed.status, 200);
    assert.equal(((await removed.json()) as Record<string, unknown>).backchannel_logout_uri, null);
  });

  it('through the CLI: client create and update --backchannel-logout-uri', async () => {
    const { client_id: id } = await gatehouseJson<{ client_id: string }>(ctx, [
      'client',
      'create',
      '--name',
      'CLI app',
      '--redirect-uri',
      'https://cli.example.com/cb',
      '--backchannel-logout-uri',
      'https://cli.example.com/bcl',
    ]);
    const shown = await gatehouseJson<Record<string, unknown>>(ctx, ['client', 'show', id]);
    assert.equal(shown.backchannel_logout_uri, 'https://cli.example.com/bcl');
    assert.equal(shown.backchannel_logout_session_required, false);
    const updated = await gatehouseJson<Record<string, unknown>>(ctx, ['client', 'update', id, '--backchannel-logout-session-required']);
    assert.equal(updated.backchannel_logout_session_required, true);
    const bad = await gatehouse(ctx, ['client', 'update', id, '--backchannel-logout-uri', 'http://cli.example.com/bcl']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--backchannel-logout-uri .*must use https/);
  });

  it("through the console's app form", async () => {
    const operator = await createOperator(ctx, 'admin');
    const { browser } = await consoleSignIn(ctx, operator.email, { start: '/admin/applications/new' });
    const form = await consoleGet(browser, '/admin/applications/new?type=web');
    assert.match(form.html, /name="backchannel_logout_uri"/);
    const page = await consolePost(browser, form, '/admin/applications/new', {
      client_name: 'Console app',
      redirect_uris: 'https://console-app.example.com/cb',
      backchannel_logout_uri: 'https://console-app.example.com/bcl',
      backchannel_logout_session_required: '1',
    });
    assert.equal(page.status, 200, page.html.slice(0, 500));
    const made = (await ctx.scope.repos.clients.list()).find((c) => c.name === 'Console app');
    assert.equal(made?.backchannelLogoutUri, 'https://console-app.example.com/bcl');
    assert.equal(made?.backchannelLogoutSessionRequired, true);
    const edit = await consoleGet(browser, `/admin/applications/${made?.id}`);
    assert.match(edit.html, /value="https:\/\/console-app\.example\.com\/bcl"/);
  });
});

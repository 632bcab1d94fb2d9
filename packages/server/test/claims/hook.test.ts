import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Webhook } from 'standardwebhooks';
import { setHookTimer } from '../../src/claims/hook.js';
import { ClaimsService } from '../../src/claims/service.js';
import type { User } from '../../src/store/repos/users.js';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, assertOAuthError, basic, confidentialClient, json, refresh } from '../helpers/oauth-requests.js';
import { type Receiver, startReceiver } from '../webhooks/receiver.js';
import { PAYMENTS_API } from './helpers.js';

const never = (): Promise<void> => new Promise(() => {});
const answer = (claims: Record<string, unknown>): { status: number; body: string } => ({ status: 200, body: JSON.stringify({ claims }) });

// The claims hook: called at code exchange and refresh with a signed request, its declared
// claims added to the ID token and the API's access token; its failure policy both ways. The
// timeout's timer is the test's: it fires when the test says (the silent receiver has the
// request), so nothing waits 1.5 s.
describe('claims: the claims hook', () => {
  let ctx: TestContext;
  let receiver: Receiver;
  let claims: ClaimsService;
  let client: Confidential;
  let user: User;
  let secret: string;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    receiver = await startReceiver();
    claims = new ClaimsService(ctx.services, ctx.scope.id);
    const made = await claims.putHook({ name: 'risk', url: receiver.url('/claims'), claims: ['risk_score'], failure: 'deny' });
    assert.ok(made.secret);
    secret = made.secret;
    await claims.putApi({ identifier: PAYMENTS_API, name: 'CoinPay API', scopes: ['payments'], claims: ['risk_score'] });
    client = await confidentialClient(ctx, { scopes: ['openid', 'payments', 'offline_access'], resources: [PAYMENTS_API] });
    user = await createTestUser(ctx);
    setHookTimer(ctx.services, never);
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });

  it('refuses a reserved claim, a built-in one, and a URL webhooks may not reach', async () => {
    await assert.rejects(claims.putHook({ name: 'x', url: receiver.url(), claims: ['sub'] }), /reserved/);
    await assert.rejects(claims.putHook({ name: 'x', url: receiver.url(), claims: ['email'] }), /built-in/);
    await assert.rejects(claims.putHook({ name: 'x', url: 'http://10.0.0.1/hook', claims: ['y'] }), /url:/);
    await assert.rejects(claims.deleteHook('risk'), /released by the API/);
  });

  it('adds its declared claims at the code exchange and every refresh, from a signed request', async () => {
    receiver.answers.push(answer({ risk_score: 7, sub: 'attacker', iss: 'https://evil.example', undeclared: true }));
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid payments offline_access', resource: PAYMENTS_API });
    const request = receiver.received.at(-1);
    assert.ok(request);
    const body = new Webhook(secret).verify(request.body, request.headers) as Record<string, unknown>;
    assert.deepEqual(
      { event: body.event, sub: body.sub, client_id: body.client_id, scopes: body.scopes, resource: body.resource },
      { event: 'code_exchange', sub: user.id, client_id: client.id, scopes: ['openid', 'payments', 'offline_access'], resource: PAYMENTS_API },
    );
    const id = decodeJwt(tokens.id_token as string);
    assert.equal(id.risk_score, 7);
    assert.equal(id.sub, user.id, 'a reserved claim is never taken from a hook');
    assert.notEqual(id.iss, 'https://evil.example');
    assert.equal(id.undeclared, undefined);
    const access = decodeJwt(tokens.access_token as string);
    assert.equal(access.aud, PAYMENTS_API);
    assert.equal(access.risk_score, 7, 'the API is configured for the claim');

    receiver.answers.push(answer({ risk_score: 9 }));
    const next = await json(await refresh(ctx, basic(client), tokens.refresh_token as string));
    assert.equal(decodeJwt(next.id_token as string).risk_score, 9);
    assert.equal(decodeJwt(next.access_token as string).risk_score, 9);
    assert.equal((JSON.parse(receiver.received.at(-1)?.body ?? '{}') as { event: string }).event, 'refresh');

    // deny: an error answer, then a hook that never answers: 503, nothing spent.
    receiver.answers.push({ status: 500, body: 'down' });
    await assertOAuthError(await refresh(ctx, basic(client), next.refresh_token as string), 503, 'temporarily_unavailable');
    receiver.answers.push({ status: 200, hang: true });
    const count = receiver.received.length + 1;
    setHookTimer(ctx.services, () => receiver.arrived(count));
    await assertOAuthError(await refresh(ctx, basic(client), next.refresh_token as string), 503, 'temporarily_unavailable');
    setHookTimer(ctx.services, never);
    receiver.answers.push(answer({ risk_score: 3 }));
    const retried = await refresh(ctx, basic(client), next.refresh_token as string);
    assert.equal(retried.status, 200, 'the refresh token was not spent by the refused requests');
    assert.equal(decodeJwt(((await json(retried)).id_token as string) ?? '').risk_score, 3);
  });

  it('omit: a failing hook leaves its claims out and the tokens are issued', async () => {
    await claims.putHook({ name: 'risk', url: receiver.url('/claims'), claims: ['risk_score'], failure: 'omit' });
    receiver.answers.push({ status: 200, hang: true });
    const count = receiver.received.length + 1;
    setHookTimer(ctx.services, () => receiver.arrived(count));
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid payments', resource: PAYMENTS_API });
    setHookTimer(ctx.services, never);
    assert.equal(decodeJwt(tokens.id_token as string).risk_score, undefined);
    assert.equal(decodeJwt(tokens.access_token as string).risk_score, undefined);
    assert.equal(decodeJwt(tokens.access_token as string).aud, PAYMENTS_API);
  });
});

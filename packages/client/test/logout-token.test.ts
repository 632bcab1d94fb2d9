// verifyLogoutToken against a real, in-process Gatehouse that delivers its logout tokens to a
// real local HTTP receiver (the server's outbox and its guarded POST); then tokens the server
// never sends, signed with its own key, for the checks a well-behaved server never trips.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import { signCompact } from '../../server/src/tokens/jws.js';
import { signInForTokens } from '../../server/test/helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../../server/test/helpers/harness.js';
import { type Receiver, startReceiver } from '../../server/test/webhooks/receiver.js';
import { BACKCHANNEL_LOGOUT_EVENT, IdpClient, LogoutTokenError, type LogoutReplayStore } from '../src/index.js';

const REDIRECT_URI = 'https://example-business.com/api/auth/callback/gatehouse';

let ctx: TestContext;
let receiver: Receiver;
let clientId: string;
let secret: string;

before(async () => {
  ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  receiver = await startReceiver();
  const made = await createTestClient(ctx, { redirectUris: [REDIRECT_URI], backchannelLogoutUri: receiver.url('/bcl') });
  clientId = made.client.id;
  secret = made.secret as string;
});
after(async () => {
  await receiver.close();
  await ctx.close();
});

function idp(options: { replay?: LogoutReplayStore; id?: string } = {}): IdpClient {
  return new IdpClient({
    issuerUrl: ctx.config.issuer,
    clientId: options.id ?? clientId,
    clientSecret: secret,
    redirectUri: REDIRECT_URI,
    fetch: async (input, init) => ctx.app.fetch(new Request(input, init)),
    clock: ctx.clock,
    ...(options.replay ? { logoutReplayStore: options.replay } : {}),
  });
}

/** Signs a user in, ends the session at Gatehouse and returns the request the receiver got, as a Fetch Request. */
async function deliveredLogout(): Promise<{ request: Request; sub: string; sid: string; idToken: string }> {
  const user = await createTestUser(ctx);
  const { tokens, browser } = await signInForTokens(ctx, { id: clientId, secret }, user.email);
  const idToken = tokens.id_token as string;
  const res = await browser.request(`${ctx.config.issuer}/oauth/logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id_token_hint: idToken }).toString(),
  });
  await res.text();
  const before = receiver.received.length;
  ctx.services.backchannel.kick();
  await ctx.services.background.settled();
  const got = receiver.received[before];
  assert.ok(got, 'the receiver got the logout token');
  const request = new Request(receiver.url('/bcl'), { method: 'POST', headers: got.headers, body: got.body });
  return { request, sub: user.id, sid: decodeJwt(idToken).sid as string, idToken };
}

/** A token signed with the issuer's own key, to reach the checks Gatehouse never fails. */
async function forged(claims: Record<string, unknown>, header: Record<string, unknown> = { typ: 'logout+jwt' }): Promise<string> {
  const { kid, key } = await ctx.scope.keys.signingKey('RS256');
  const now = ctx.clock();
  const payload = {
    iss: ctx.config.issuer,
    aud: clientId,
    iat: now,
    exp: now + 120,
    jti: `j-${Math.random()}`,
    sub: 'u',
    sid: 's',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...claims,
  };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete (payload as Record<string, unknown>)[k];
  return signCompact('RS256', { kid, ...header }, payload, key);
}

async function refused(promise: Promise<unknown>, code: string, claim?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LogoutTokenError, String(error));
    assert.equal(error.code, code, error.message);
    if (claim) assert.equal(error.claim, claim);
    return true;
  });
}

test('verifies the logout token Gatehouse POSTs when the session ends, once', async () => {
  const { request, sub, sid } = await deliveredLogout();
  const copy = request.clone();
  const client = idp();
  assert.deepEqual(await client.verifyLogoutToken(request).then(({ sub, sid }) => ({ sub, sid })), { sub, sid });
  await refused(client.verifyLogoutToken(copy), 'replayed', 'jti');
});

test('a refusal answers the provider 400 invalid_request', async () => {
  const error = new LogoutTokenError('claim_mismatch', 'nope');
  const res = error.toResponse();
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
});

test('the token alone, or the parsed form, verify too; a pluggable store sees the jti', async () => {
  const seen: string[] = [];
  const store: LogoutReplayStore = {
    remember: (key) => {
      if (seen.includes(key)) return false;
      seen.push(key);
      return true;
    },
  };
  const { request, sid } = await deliveredLogout();
  const token = new URLSearchParams(await request.text()).get('logout_token') ?? '';
  assert.equal((await idp({ replay: store }).verifyLogoutToken(new URLSearchParams({ logout_token: token }))).sid, sid);
  assert.equal(seen.length, 1);
  await refused(idp({ replay: store }).verifyLogoutToken(token), 'replayed');
});

test('refuses what is not a logout token for this client', async () => {
  const client = idp();
  await refused(client.verifyLogoutToken(new Request('https://app.test/bcl')), 'invalid_request');
  await refused(
    client.verifyLogoutToken(
      new Request('https://app.test/bcl', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' }),
    ),
    'invalid_request',
  );
  await refused(client.verifyLogoutToken('not a jwt'), 'invalid_token');
  // An ID token (typ JWT) is never a logout token.
  const { idToken } = await deliveredLogout();
  await refused(client.verifyLogoutToken(idToken), 'claim_mismatch', 'typ');
  await refused(client.verifyLogoutToken(await forged({ nonce: 'n' })), 'claim_mismatch', 'nonce');
  await refused(client.verifyLogoutToken(await forged({ events: { 'https://example.com/other': {} } })), 'claim_mismatch', 'events');
  await refused(client.verifyLogoutToken(await forged({ events: undefined })), 'claim_mismatch', 'events');
  await refused(client.verifyLogoutToken(await forged({ sub: undefined, sid: undefined })), 'claim_mismatch', 'sid');
  await refused(client.verifyLogoutToken(await forged({ aud: 'another-client' })), 'claim_mismatch', 'aud');
  await refused(client.verifyLogoutToken(await forged({ iss: 'https://evil.example.com' })), 'claim_mismatch', 'iss');
  await refused(client.verifyLogoutToken(await forged({ jti: undefined })), 'claim_mismatch', 'jti');
  await refused(client.verifyLogoutToken(await forged({ iat: ctx.clock() + 600, exp: ctx.clock() + 700 })), 'timestamp_check_failed', 'iat');
  const good = await forged({});
  const [h, p, s] = good.split('.');
  await refused(client.verifyLogoutToken(`${h}.${p}.${(s ?? '').slice(0, -4)}AAAA`), 'invalid_token');
  // sid alone, sub alone: each is enough.
  assert.equal((await client.verifyLogoutToken(await forged({ sub: undefined }))).sub, undefined);
  assert.equal((await client.verifyLogoutToken(await forged({ sid: undefined }))).sid, undefined);
});

test('an expired token is refused beyond the clock skew, accepted within it', async () => {
  const client = idp();
  const early = await forged({});
  const late = await forged({});
  ctx.clock.advance(120 + 10);
  assert.ok(await client.verifyLogoutToken(early), 'within the 30 s skew');
  ctx.clock.advance(60);
  await refused(client.verifyLogoutToken(late), 'timestamp_check_failed', 'exp');
});

test('backchannelLogoutHandler answers the provider: 200 after onLogout, 400 for a bad token', async () => {
  const ended: { sub?: string; sid?: string }[] = [];
  const handler = idp().backchannelLogoutHandler(({ sub, sid }) => {
    ended.push({ sub, sid });
  });
  const { request, sub, sid } = await deliveredLogout();
  const ok = await handler(request);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('cache-control'), 'no-store');
  assert.deepEqual(ended, [{ sub, sid }]);
  const bad = await handler(
    new Request('https://app.test/bcl', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'logout_token=x' }),
  );
  assert.equal(bad.status, 400);
  assert.equal(ended.length, 1);
});

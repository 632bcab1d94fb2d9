import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newGrantId } from '../../src/store/repos/grants.js';
import { sha256 } from '../../src/tokens/random.js';
import { TEST_REDIRECT_URI, type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

const VERIFIER = 'v'.repeat(43);
const CHALLENGE = sha256(VERIFIER);

// The code exchange's usual case is one statement on PostgreSQL and one transaction on SQLite:
// these pin, on whichever backend runs the suite, that it happens once, creates the grant and
// its refresh token together, and that every refusal leaves everything as it was.
describe('authorization code exchange', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  async function liveCode(): Promise<{ code: string; clientId: string; userId: string }> {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const code = await ctx.scope.repos.codes.create(
      {
        clientId: client.id,
        userId: user.id,
        redirectUri: TEST_REDIRECT_URI,
        codeChallenge: CHALLENGE,
        scope: 'openid email',
        nonce: 'n-1',
        sid: 'sid-1',
        authTime: ctx.clock() - 5,
        resource: null,
      },
      60,
    );
    return { code, clientId: client.id, userId: user.id };
  }

  const check = (clientId: string, over: Partial<{ redirectUri: string; challenge: string }> = {}) => ({
    clientId,
    redirectUri: TEST_REDIRECT_URI,
    challenge: CHALLENGE,
    ...over,
  });

  async function state(code: string, grantId: string): Promise<{ consumed: boolean; grants: number; refreshTokens: number }> {
    const db = ctx.services.store.db;
    const row = await db.selectFrom('authorization_codes').select('consumed_at').where('id', '=', sha256(code)).executeTakeFirst();
    const grants = await db.selectFrom('grants').select('id').where('id', '=', grantId).execute();
    const tokens = await db.selectFrom('refresh_tokens').select('id').where('grant_id', '=', grantId).execute();
    return { consumed: row?.consumed_at !== null, grants: grants.length, refreshTokens: tokens.length };
  }

  it('spends the code and creates its grant and refresh token, returning code, user and grant', async () => {
    const { code, clientId, userId } = await liveCode();
    const grantId = newGrantId();
    const done = await ctx.scope.repos.codes.exchange(code, check(clientId), { id: grantId, ttl: 3600 }, true);
    assert.ok(done);
    assert.equal(done.code.nonce, 'n-1');
    assert.equal(done.user.id, userId);
    assert.deepEqual(done.grant, await ctx.scope.repos.grants.findActive(grantId), 'the grant returned is the one stored');
    assert.equal(done.grant.expiresAt, ctx.clock() + 3600);
    assert.match(done.refreshToken ?? '', /^ghr_/);
    const stored = await ctx.scope.repos.refreshTokens.find(done.refreshToken!);
    assert.equal(stored?.grantId, grantId);
    assert.equal(stored?.expiresAt, done.grant.expiresAt);
    assert.deepEqual(await state(code, grantId), { consumed: true, grants: 1, refreshTokens: 1 });
    assert.equal(await ctx.scope.repos.codes.exchange(code, check(clientId), { id: newGrantId(), ttl: 3600 }, true), undefined, 'once only');
    const events = await ctx.scope.repos.events.list({ type: 'grant.created', userId });
    assert.deepEqual(
      events.map((e) => ({ actor: e.actor, clientId: e.clientId, payload: e.payload, at: e.occurredAt })),
      [{ actor: `client:${clientId}`, clientId, payload: { grant_id: grantId, scope: 'openid email' }, at: ctx.clock() }],
      'grant.created, written with the grant, once',
    );
  });

  it('creates no refresh token for a client that may not refresh', async () => {
    const { code, clientId } = await liveCode();
    const grantId = newGrantId();
    const done = await ctx.scope.repos.codes.exchange(code, check(clientId), { id: grantId, ttl: 3600 }, false);
    assert.equal(done?.refreshToken, undefined);
    assert.deepEqual(await state(code, grantId), { consumed: true, grants: 1, refreshTokens: 0 });
  });

  it('exchanges a code once under 30 concurrent attempts', async () => {
    const { code, clientId } = await liveCode();
    const ids = Array.from({ length: 30 }, () => newGrantId());
    const results = await Promise.all(ids.map((id) => ctx.scope.repos.codes.exchange(code, check(clientId), { id, ttl: 3600 }, true)));
    assert.equal(results.filter(Boolean).length, 1);
    const grants = await ctx.services.store.db.selectFrom('grants').select('id').where('id', 'in', ids).execute();
    assert.equal(grants.length, 1, 'exactly one grant');
    const events = await ctx.services.store.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'grant.created')
      .where('client_id', '=', clientId)
      .execute();
    assert.equal(events.length, 1, 'exactly one grant.created');
  });

  it('changes nothing for another redirect URI or challenge, another client, a disabled user or an expired code', async () => {
    const cases: [string, (c: Awaited<ReturnType<typeof liveCode>>) => Promise<ReturnType<typeof check>>][] = [
      ['other redirect URI', async (c) => check(c.clientId, { redirectUri: `${TEST_REDIRECT_URI}/x` })],
      ['other challenge', async (c) => check(c.clientId, { challenge: sha256('w'.repeat(43)) })],
      ['other client', async () => check((await createTestClient(ctx)).client.id)],
      ['disabled user', async (c) => (await ctx.scope.repos.users.setDisabled(c.userId, true), check(c.clientId))],
    ];
    for (const [name, arrange] of cases) {
      const c = await liveCode();
      const grantId = newGrantId();
      assert.equal(await ctx.scope.repos.codes.exchange(c.code, await arrange(c), { id: grantId, ttl: 3600 }, true), undefined, name);
      assert.deepEqual(await state(c.code, grantId), { consumed: false, grants: 0, refreshTokens: 0 }, name);
    }
    const late = await liveCode();
    ctx.clock.advance(61);
    const grantId = newGrantId();
    assert.equal(await ctx.scope.repos.codes.exchange(late.code, check(late.clientId), { id: grantId, ttl: 3600 }, true), undefined, 'expired');
    assert.deepEqual(await state(late.code, grantId), { consumed: false, grants: 0, refreshTokens: 0 });
  });
});

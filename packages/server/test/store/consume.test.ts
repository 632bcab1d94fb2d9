import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newGrantId } from '../../src/store/repos/grants.js';
import { type TestContext, createTestClient, createTestUser, TEST_REDIRECT_URI } from '../helpers/harness.js';
import { createTestContext } from '../helpers/harness.js';

// These guard the storage primitives every grant relies on, on whichever backend runs the suite.
describe('single-use storage primitives', () => {
  let ctx: TestContext;
  let clientId: string;
  let userId: string;
  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx)).client.id;
    userId = (await createTestUser(ctx)).id;
  });
  after(() => ctx.close());

  async function newCode(): Promise<string> {
    return ctx.scope.repos.codes.create(
      {
        clientId,
        userId,
        redirectUri: TEST_REDIRECT_URI,
        codeChallenge: 'x'.repeat(43),
        scope: 'openid',
        nonce: null,
        sid: null,
        authTime: ctx.clock(),
        resource: null,
      },
      60,
    );
  }

  it('stores codes only as hashes', async () => {
    const code = await newCode();
    const rows = await ctx.services.store.db.selectFrom('authorization_codes').select('id').execute();
    assert.ok(rows.every((r) => r.id !== code));
  });

  it('consumes a code exactly once under 50 concurrent attempts', async () => {
    const code = await newCode();
    const results = await Promise.all(Array.from({ length: 50 }, () => ctx.scope.repos.codes.consume(code, clientId, newGrantId())));
    assert.equal(results.filter((r) => r.status === 'ok').length, 1);
    assert.equal(results.filter((r) => r.status === 'reused').length, 49);
  });

  it('refuses an expired code', async () => {
    const code = await newCode();
    ctx.clock.advance(61);
    assert.equal((await ctx.scope.repos.codes.consume(code, clientId, newGrantId())).status, 'invalid');
  });

  it('consumes a refresh token exactly once under 50 concurrent attempts', async () => {
    const grant = await ctx.scope.repos.grants.create({ clientId, userId, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
    const token = await ctx.scope.repos.refreshTokens.create(grant.id, clientId, grant.expiresAt);
    const results = await Promise.all(Array.from({ length: 50 }, () => ctx.scope.repos.refreshTokens.consume(token, clientId)));
    assert.equal(results.filter((r) => r.status === 'ok').length, 1);
  });

  it('does not let another client use or burn a code or refresh token', async () => {
    const other = (await createTestClient(ctx)).client.id;
    const code = await newCode();
    assert.equal((await ctx.scope.repos.codes.consume(code, other, newGrantId())).status, 'invalid');
    assert.equal((await ctx.scope.repos.codes.consume(code, clientId, newGrantId())).status, 'ok');
    const grant = await ctx.scope.repos.grants.create({ clientId, userId, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
    const token = await ctx.scope.repos.refreshTokens.create(grant.id, clientId, grant.expiresAt);
    assert.equal((await ctx.scope.repos.refreshTokens.consume(token, other)).status, 'invalid');
    assert.equal((await ctx.scope.repos.refreshTokens.consume(token, clientId)).status, 'ok');
  });

  it('counts rate-limit hits across a window and starts again after it', async () => {
    const key = `test:${Math.random()}`;
    for (let i = 1; i <= 3; i++) assert.equal(await ctx.scope.repos.rateLimits.hit(key, 60), i);
    const failures = async (): Promise<number> => (await ctx.scope.repos.loginAttempts.counts({ account: key, address: 'none', pair: 'none' }, 60)).account;
    assert.equal(await failures(), 3);
    ctx.clock.advance(61);
    assert.equal(await failures(), 0);
    assert.equal(await ctx.scope.repos.rateLimits.hit(key, 60), 1);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../src/tokens/random.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

// The refresh grant's usual case is one statement on PostgreSQL and one transaction on SQLite:
// these pin, on whichever backend runs the suite, that it rotates exactly once and that every
// refusal leaves the token and the table as they were (the caller's slower path decides then).
describe('refresh token rotation', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  async function liveToken(scope = 'openid email profile'): Promise<{ token: string; clientId: string; grantId: string; userId: string }> {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const grant = await ctx.services.repos.grants.create({ clientId: client.id, userId: user.id, scope, sid: 'sid-1', authTime: ctx.clock(), resource: null }, 3600);
    const token = await ctx.services.repos.refreshTokens.create(grant.id, client.id, grant.expiresAt);
    return { token, clientId: client.id, grantId: grant.id, userId: user.id };
  }

  async function tokensOf(grantId: string): Promise<{ id: string; consumed_at: number | null; expires_at: number }[]> {
    return ctx.services.store.db.selectFrom('refresh_tokens').select(['id', 'consumed_at', 'expires_at']).where('grant_id', '=', grantId).execute();
  }

  it('spends the token, stores its successor with the grant\'s expiry, and returns grant and user', async () => {
    const { token, clientId, grantId, userId } = await liveToken();
    const rotated = await ctx.services.repos.refreshTokens.rotate(token, clientId, null);
    assert.ok(rotated);
    assert.equal(rotated.grant.id, grantId);
    assert.equal(rotated.grant.sid, 'sid-1');
    assert.deepEqual(rotated.user, await ctx.services.repos.users.findById(userId));
    assert.match(rotated.refreshToken, /^ghr_/);

    const rows = await tokensOf(grantId);
    assert.equal(rows.length, 2);
    const old = rows.find((r) => r.id === sha256(token));
    const successor = rows.find((r) => r.id === sha256(rotated.refreshToken));
    assert.equal(old?.consumed_at, ctx.clock());
    assert.equal(successor?.consumed_at, null);
    assert.equal(successor?.expires_at, rotated.grant.expiresAt);

    assert.equal(await ctx.services.repos.refreshTokens.rotate(token, clientId, null), undefined, 'a spent token does not rotate again');
    assert.ok(await ctx.services.repos.refreshTokens.rotate(rotated.refreshToken, clientId, null), 'its successor does');
  });

  it('rotates a token once under 30 concurrent attempts', async () => {
    const { token, clientId, grantId } = await liveToken();
    const results = await Promise.all(Array.from({ length: 30 }, () => ctx.services.repos.refreshTokens.rotate(token, clientId, null)));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal((await tokensOf(grantId)).length, 2, 'exactly one successor');
  });

  it('rotates for a scope inside the grant', async () => {
    const { token, clientId } = await liveToken('openid email profile');
    assert.ok(await ctx.services.repos.refreshTokens.rotate(token, clientId, ['email', 'openid']));
  });

  it('changes nothing for another client, an expired token, a revoked grant, a disabled user or a wider scope', async () => {
    const cases: [string, (t: Awaited<ReturnType<typeof liveToken>>) => Promise<string[] | null>][] = [
      ['wider scope', async () => ['openid', 'admin']],
      ['scope named by a prefix of a granted one', async () => ['open']],
      ['revoked grant', async (t) => (await ctx.services.repos.grants.revoke(t.grantId), null)],
      ['disabled user', async (t) => (await ctx.services.repos.users.setDisabled(t.userId, true), null)],
    ];
    for (const [name, arrange] of cases) {
      const t = await liveToken();
      const asked = await arrange(t);
      assert.equal(await ctx.services.repos.refreshTokens.rotate(t.token, t.clientId, asked), undefined, name);
      assert.deepEqual((await tokensOf(t.grantId)).map((r) => r.consumed_at), [null], `${name}: the token is neither spent nor succeeded`);
    }

    const other = await liveToken();
    const { client: stranger } = await createTestClient(ctx);
    assert.equal(await ctx.services.repos.refreshTokens.rotate(other.token, stranger.id, null), undefined, "another client's token");
    assert.deepEqual((await tokensOf(other.grantId)).map((r) => r.consumed_at), [null]);

    const expiring = await liveToken();
    ctx.clock.advance(3601);
    assert.equal(await ctx.services.repos.refreshTokens.rotate(expiring.token, expiring.clientId, null), undefined, 'expired');
    assert.deepEqual((await tokensOf(expiring.grantId)).map((r) => r.consumed_at), [null]);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../src/tokens/random.js';
import { type TestContext, createTestClient, createTestContext, createTestUser, randomSuccessor } from '../helpers/harness.js';

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
    const grant = await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: user.id, scope, sid: 'sid-1', authTime: ctx.clock(), resource: null },
      3600,
    );
    const token = await ctx.scope.repos.refreshTokens.create(grant.id, client.id, grant.expiresAt);
    return { token, clientId: client.id, grantId: grant.id, userId: user.id };
  }

  async function tokensOf(
    grantId: string,
  ): Promise<{ id: string; secret_hash: string | null; created_at: number; consumed_at: number | null; expires_at: number }[]> {
    return ctx.services.store.db
      .selectFrom('refresh_tokens')
      .select(['id', 'secret_hash', 'created_at', 'consumed_at', 'expires_at'])
      .where('grant_id', '=', grantId)
      .execute();
  }

  const secretOf = (token: string): string => token.slice(token.indexOf('.') + 1);

  it("spends the token by replacing its chain's secret in place, and returns grant and user", async () => {
    const { token, clientId, grantId, userId } = await liveToken();
    const rotated = await ctx.scope.repos.refreshTokens.rotate(token, clientId, null, randomSuccessor);
    assert.ok(rotated);
    assert.equal(rotated.grant.id, grantId);
    assert.equal(rotated.grant.sid, 'sid-1');
    assert.deepEqual(rotated.user, await ctx.scope.repos.users.findById(userId));
    assert.match(rotated.refreshToken, /^ghr_[\w-]{22}\.[\w-]{43}$/);
    const chain = token.slice(4, token.indexOf('.'));
    assert.ok(rotated.refreshToken.startsWith(`ghr_${chain}.`), 'the successor stays in its chain');
    assert.notEqual(secretOf(rotated.refreshToken), secretOf(token));

    ctx.clock.advance(5);
    const before = ctx.clock();
    const again = await ctx.scope.repos.refreshTokens.rotate(rotated.refreshToken, clientId, null, randomSuccessor);
    assert.ok(again, 'its successor rotates');
    assert.deepEqual(
      await tokensOf(grantId),
      [{ id: chain, secret_hash: sha256(secretOf(again.refreshToken)), created_at: before, consumed_at: null, expires_at: rotated.grant.expiresAt }],
      "one row per chain, holding only the live secret's hash",
    );

    for (const spent of [token, rotated.refreshToken]) {
      assert.equal(await ctx.scope.repos.refreshTokens.rotate(spent, clientId, null, randomSuccessor), undefined, 'a spent token does not rotate again');
      assert.equal((await ctx.scope.repos.refreshTokens.consume(spent, clientId)).status, 'reused');
      assert.equal((await ctx.scope.repos.refreshTokens.find(spent))?.consumed, true);
    }
  });

  it('tells a token of another chain, a made-up chain or a malformed token from a spent one', async () => {
    const { token, clientId } = await liveToken();
    const other = await liveToken();
    const repo = ctx.scope.repos.refreshTokens;
    const madeUp = `ghr_${'A'.repeat(22)}.${secretOf(token)}`;
    for (const presented of [madeUp, 'ghr_.x', `ghr_${'a'.repeat(65)}.x`, 'a.b.c', `x${token}`]) {
      assert.equal(await repo.rotate(presented, clientId, null, randomSuccessor), undefined, presented);
      assert.equal((await repo.consume(presented, clientId)).status, 'invalid', presented);
      assert.equal(await repo.find(presented), undefined, presented);
    }
    assert.equal((await repo.consume(other.token, clientId)).status, 'invalid', "another client's token is neither used nor burnt");
    assert.ok(await repo.rotate(other.token, other.clientId, null, randomSuccessor));
    assert.ok(await repo.rotate(token, clientId, null, randomSuccessor));
  });

  it('rotates a token once under 30 concurrent attempts', async () => {
    const { token, clientId, grantId } = await liveToken();
    const results = await Promise.all(Array.from({ length: 30 }, () => ctx.scope.repos.refreshTokens.rotate(token, clientId, null, randomSuccessor)));
    const winners = results.filter((r) => r !== undefined);
    assert.equal(winners.length, 1);
    const rows = await tokensOf(grantId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.secret_hash, sha256(secretOf(winners[0]?.refreshToken ?? '')), 'the one successor is the live secret');
  });

  it('rotates many chains at once, each to its own grant, user and successor', async () => {
    // On PostgreSQL all but the first two share one statement (refresh-rotation-batch.ts).
    const tokens = await Promise.all(Array.from({ length: 24 }, () => liveToken()));
    const rotated = await Promise.all(tokens.map((t) => ctx.scope.repos.refreshTokens.rotate(t.token, t.clientId, null, randomSuccessor)));
    for (const [i, t] of tokens.entries()) {
      const r = rotated[i];
      assert.ok(r, `token ${i} rotates`);
      assert.equal(r.grant.id, t.grantId);
      assert.equal(r.user.id, t.userId);
      assert.ok(r.refreshToken.startsWith(t.token.slice(0, t.token.indexOf('.') + 1)), 'the successor stays in its own chain');
      assert.deepEqual(
        (await tokensOf(t.grantId)).map((row) => row.secret_hash),
        [sha256(secretOf(r.refreshToken))],
      );
    }
  });

  it('answers each of a mixed batch on its own: the live ones rotate, the others change nothing', async () => {
    const live = await Promise.all(Array.from({ length: 6 }, () => liveToken()));
    const disabled = await liveToken();
    await ctx.scope.repos.users.setDisabled(disabled.userId, true);
    const spent = await liveToken();
    assert.ok(await ctx.scope.repos.refreshTokens.rotate(spent.token, spent.clientId, null, randomSuccessor));
    const repo = ctx.scope.repos.refreshTokens;
    const [a, b, c, d, e, f] = live as [typeof disabled, typeof disabled, typeof disabled, typeof disabled, typeof disabled, typeof disabled];
    const results = await Promise.all([
      repo.rotate(a.token, a.clientId, null, randomSuccessor),
      repo.rotate(disabled.token, disabled.clientId, null, randomSuccessor),
      repo.rotate(b.token, b.clientId, ['openid', 'admin'], randomSuccessor),
      repo.rotate(c.token, c.clientId, ['email'], randomSuccessor),
      repo.rotate(spent.token, spent.clientId, null, randomSuccessor),
      repo.rotate(d.token, e.clientId, null, randomSuccessor),
      repo.rotate(e.token, e.clientId, null, randomSuccessor),
      repo.rotate(f.token, f.clientId, null, randomSuccessor),
      repo.rotate(f.token, f.clientId, null, randomSuccessor),
    ]);
    const users = results.map((r) => r?.user.id);
    assert.deepEqual(users.slice(0, 7), [a.userId, undefined, undefined, c.userId, undefined, undefined, e.userId]);
    assert.deepEqual(users.slice(7).filter(Boolean), [f.userId], 'of two uses of one token in a batch, one rotates');
    for (const t of [disabled, b, d]) {
      assert.deepEqual(
        (await tokensOf(t.grantId)).map((r) => r.secret_hash),
        [sha256(secretOf(t.token))],
        'unchanged',
      );
    }
  });

  it('fails only the caller whose input the database refuses, not the others batched with it', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, () => liveToken()));
    const repo = ctx.scope.repos.refreshTokens;
    // A NUL never reaches here from HTTP (form.ts refuses it); PostgreSQL refuses it in text.
    const outcomes = await Promise.all([
      ...tokens.map((t) => repo.rotate(t.token, t.clientId, null, randomSuccessor)),
      repo.rotate(tokens[0]!.token, tokens[0]!.clientId, ['open\u0000id'], randomSuccessor).then(
        (r) => r,
        () => 'refused',
      ),
    ]);
    for (const [i, t] of tokens.entries()) assert.equal((outcomes[i] as { user: { id: string } } | undefined)?.user.id, t.userId, `token ${i}`);
    assert.ok(outcomes[8] === undefined || outcomes[8] === 'refused');
  });

  it('rotates for a scope inside the grant', async () => {
    const { token, clientId } = await liveToken('openid email profile');
    assert.ok(await ctx.scope.repos.refreshTokens.rotate(token, clientId, ['email', 'openid'], randomSuccessor));
  });

  it('changes nothing for another client, an expired token, a revoked grant, a disabled user or a wider scope', async () => {
    const cases: [string, (t: Awaited<ReturnType<typeof liveToken>>) => Promise<string[] | null>][] = [
      ['wider scope', async () => ['openid', 'admin']],
      ['scope named by a prefix of a granted one', async () => ['open']],
      ['revoked grant', async (t) => (await ctx.scope.repos.grants.revoke(t.grantId, 'revoked_by_client'), null)],
      ['disabled user', async (t) => (await ctx.scope.repos.users.setDisabled(t.userId, true), null)],
    ];
    for (const [name, arrange] of cases) {
      const t = await liveToken();
      const asked = await arrange(t);
      assert.equal(await ctx.scope.repos.refreshTokens.rotate(t.token, t.clientId, asked, randomSuccessor), undefined, name);
      assert.deepEqual(
        (await tokensOf(t.grantId)).map((r) => [r.consumed_at, r.secret_hash]),
        [[null, sha256(secretOf(t.token))]],
        `${name}: the token is neither spent nor succeeded`,
      );
    }

    const other = await liveToken();
    const { client: stranger } = await createTestClient(ctx);
    assert.equal(await ctx.scope.repos.refreshTokens.rotate(other.token, stranger.id, null, randomSuccessor), undefined, "another client's token");
    assert.deepEqual(
      (await tokensOf(other.grantId)).map((r) => r.consumed_at),
      [null],
    );

    const expiring = await liveToken();
    ctx.clock.advance(3601);
    assert.equal(await ctx.scope.repos.refreshTokens.rotate(expiring.token, expiring.clientId, null, randomSuccessor), undefined, 'expired');
    assert.deepEqual(
      (await tokensOf(expiring.grantId)).map((r) => r.consumed_at),
      [null],
    );
  });
});

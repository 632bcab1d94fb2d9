import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { loggedContext } from '../helpers/logged-statements.js';
import { type Confidential, assertOAuthError, basic, confidentialClient, json, refresh, userinfo } from '../helpers/oauth-requests.js';

const GRACE = 10;

// A client's refresh-token reuse grace: two instances of an app refreshing the same token at
// once both get the chain's new token, and the grant lives on; outside the grace, or for an
// older token, reuse revokes the grant as ever.
describe('refresh_token grant: reuse grace', () => {
  let ctx: TestContext;
  let graced: Confidential;
  let strict: Confidential;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    graced = await confidentialClient(ctx, { refreshReuseGrace: GRACE });
    strict = await confidentialClient(ctx);
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  const signIn = async (client: Confidential): Promise<string> => (await signInForTokens(ctx, client, email)).tokens.refresh_token as string;
  const refreshOk = async (client: Confidential, token: string): Promise<Record<string, unknown>> => {
    const res = await refresh(ctx, basic(client), token);
    assert.equal(res.status, 200, await res.clone().text());
    return json(res);
  };

  it('two refreshes of one token at once both succeed, with the same new refresh token, and the grant lives on', async () => {
    const token = await signIn(graced);
    const answers = await Promise.all([refresh(ctx, basic(graced), token), refresh(ctx, basic(graced), token)]);
    const bodies = await Promise.all(answers.map(async (res) => ({ status: res.status, body: await json(res) })));
    assert.deepEqual(
      bodies.map((b) => b.status),
      [200, 200],
      JSON.stringify(bodies),
    );
    const [a, b] = bodies.map((x) => x.body) as [Record<string, unknown>, Record<string, unknown>];
    assert.equal(a.refresh_token, b.refresh_token, "the chain's one successor, not a second chain");
    assert.notEqual(a.access_token, b.access_token);
    assert.equal(decodeJwt(a.access_token as string).gid, decodeJwt(b.access_token as string).gid, 'of the same grant');
    assert.equal((await userinfo(ctx, b.access_token as string)).status, 200);
    const next = await refreshOk(graced, a.refresh_token as string);
    assert.notEqual(next.refresh_token, a.refresh_token);
  });

  it('after the grace, the previous token is a reuse again and revokes the grant', async () => {
    const token = await signIn(graced);
    const first = await refreshOk(graced, token);
    ctx.clock.advance(GRACE);
    assert.equal((await refreshOk(graced, token)).refresh_token, first.refresh_token, "at the grace's last second");
    ctx.clock.advance(1);
    await assertOAuthError(await refresh(ctx, basic(graced), token), 400, 'invalid_grant');
    await assertOAuthError(await refresh(ctx, basic(graced), first.refresh_token as string), 400, 'invalid_grant');
    assert.equal((await userinfo(ctx, first.access_token as string)).status, 401, 'the whole grant is revoked');
  });

  it('only the token rotated last: one two rotations back revokes, even within the grace', async () => {
    const token = await signIn(graced);
    const first = await refreshOk(graced, token);
    const second = await refreshOk(graced, first.refresh_token as string);
    await assertOAuthError(await refresh(ctx, basic(graced), token), 400, 'invalid_grant');
    await assertOAuthError(await refresh(ctx, basic(graced), second.refresh_token as string), 400, 'invalid_grant');
  });

  it('never outlives the chain: the grace ends where the grant does', async () => {
    const token = await signIn(graced);
    ctx.clock.advance(ctx.config.refreshTokenTtl - 5);
    await refreshOk(graced, token);
    ctx.clock.advance(6);
    await assertOAuthError(await refresh(ctx, basic(graced), token), 400, 'invalid_grant');
  });

  it('a revoked grant gets nothing within the grace', async () => {
    const token = await signIn(graced);
    const first = await refreshOk(graced, token);
    await ctx.scope.repos.grants.revoke(decodeJwt(first.access_token as string).gid as string, 'revoked_by_client');
    await assertOAuthError(await refresh(ctx, basic(graced), token), 400, 'invalid_grant');
  });

  it('without a grace (the default), the loser of two refreshes at once revokes the grant', async () => {
    const token = await signIn(strict);
    const first = await refreshOk(strict, token);
    await assertOAuthError(await refresh(ctx, basic(strict), token), 400, 'invalid_grant');
    await assertOAuthError(await refresh(ctx, basic(strict), first.refresh_token as string), 400, 'invalid_grant');
  });
});

describe('refresh_token grant: statements with a reuse grace', () => {
  it('the usual refresh is still one statement on refresh_tokens; a reuse within the grace changes no row', async () => {
    const logged = await loggedContext();
    try {
      const client = await confidentialClient(logged.ctx, { refreshReuseGrace: GRACE });
      const user = await createTestUser(logged.ctx);
      const token = (await signInForTokens(logged.ctx, client, user.email)).tokens.refresh_token as string;
      logged.statements.length = 0;
      assert.equal((await refresh(logged.ctx, basic(client), token)).status, 200);
      const usual = logged.statements.filter((s) => /refresh_tokens/.test(s));
      assert.equal(usual.length, 1, usual.join('\n'));
      const rows = (): Promise<unknown[]> => logged.ctx.services.store.db.selectFrom('refresh_tokens').selectAll().orderBy('id').execute();
      const before = await rows();
      assert.equal((await refresh(logged.ctx, basic(client), token)).status, 200, 'the same token again, within the grace');
      assert.deepEqual(await rows(), before, 'the chain is left as it was');
    } finally {
      await logged.ctx.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { MembershipRepository } from '../../src/store/repos/memberships.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, assertOAuthError, basic, codeParams, confidentialClient, json, obtainCode, postForm, refresh } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

const SCOPE = 'openid email organizations';

// The claim is read while the code or refresh token is being spent, in the same transaction. A
// read that fails (the database dropping the connection at that moment, say) must spend nothing:
// otherwise the client's retry would present a spent code or token, be taken for an attacker's
// replay, and lose the grant.
describe('a failed organizations read spends nothing', () => {
  let ctx: TestContext;
  let client: Confidential;
  let email: string;
  let failReads = false;
  const original = MembershipRepository.prototype.claimsOf;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx, { scopes: ['openid', 'email', 'organizations'] });
    const user = await createTestUser(ctx);
    email = user.email;
    await ctx.scope.repos.organizations.create({ id: 'acme', name: 'Acme' });
    await ctx.scope.transaction((r) => r.memberships.add('acme', user.id, []));
    MembershipRepository.prototype.claimsOf = function (this: MembershipRepository, userId: string) {
      return failReads ? Promise.reject(new Error('connection terminated')) : original.call(this, userId);
    };
  });
  after(async () => {
    MembershipRepository.prototype.claimsOf = original;
    await ctx.close();
  });

  async function failingOnce(request: () => Promise<Response>): Promise<Response> {
    failReads = true;
    try {
      const res = await request();
      assert.equal(res.status, 503, 'a lost connection answers "try again"');
      assert.equal((await json(res)).error, 'temporarily_unavailable');
    } finally {
      failReads = false;
    }
    return request();
  }

  it('leaves the code unspent, so the retried exchange succeeds', async () => {
    const got = await obtainCode(inProcessBrowser(ctx), client.id, email, { scope: SCOPE });
    const retried = await failingOnce(() => postForm(ctx, at('/oauth/token'), codeParams(got), basic(client)));
    assert.equal(retried.status, 200, await retried.clone().text());
    const tokens = await json(retried);
    assert.deepEqual(decodeJwt(tokens.id_token as string).organizations, [{ id: 'acme', roles: [], permissions: [] }]);
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), codeParams(got), basic(client)), 400, 'invalid_grant');
  });

  it('leaves the refresh token live, so the retried refresh succeeds and the grant stands', async () => {
    const got = await obtainCode(inProcessBrowser(ctx), client.id, email, { scope: SCOPE });
    const tokens = await json(await postForm(ctx, at('/oauth/token'), codeParams(got), basic(client)));
    const retried = await failingOnce(() => refresh(ctx, basic(client), tokens.refresh_token as string));
    assert.equal(retried.status, 200, await retried.clone().text());
    const next = await json(retried);
    assert.deepEqual(decodeJwt(next.id_token as string).organizations, [{ id: 'acme', roles: [], permissions: [] }]);
    assert.equal((await refresh(ctx, basic(client), next.refresh_token as string)).status, 200, 'the grant was not revoked');
  });
});

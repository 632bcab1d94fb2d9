import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tokensFor } from '../helpers/account-pages.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, assertOAuthError, basic, confidentialClient, introspect, refresh, userinfo } from '../helpers/oauth-requests.js';

type Tokens = { access: string; refresh: string };

// An administrator removes one scope of a user's grant: through the Admin API, and through the
// console's user page, which calls it. The grant narrows as it does from the account page.
describe('Admin API and console: remove one scope of a grant', () => {
  let ctx: TestContext;
  let app: Confidential;
  let writer: string;
  let writerId: string;

  before(async () => {
    ctx = await createTestContext();
    app = await confidentialClient(ctx, { name: 'Scoped App' });
    ({ token: writer, userId: writerId } = await personToken(ctx, 'admin'));
  });
  after(() => ctx.close());

  /** A user signed in to the app, its tokens and the id of the grant they made. */
  async function signedIn(scope = 'openid profile email payments'): Promise<{ userId: string; tokens: Tokens; grantId: string }> {
    const user = await createTestUser(ctx);
    const tokens = await tokensFor(ctx, app, user.email, inProcessBrowser(ctx), scope);
    const [grant] = await ctx.scope.repos.grants.listForUser(user.id);
    assert.ok(grant);
    return { userId: user.id, tokens, grantId: grant.id };
  }

  it('DELETE …/grants/{grant}/scopes/{scope}: tokens with the scope stop working, refreshes come back without it', async () => {
    const { userId, tokens, grantId } = await signedIn();
    const res = await admin(ctx, writer, 'DELETE', `/users/${userId}/grants/${grantId}/scopes/payments`);
    assert.equal(res.status, 204, await res.clone().text());
    assert.equal((await introspect(ctx, app, tokens.access)).active, false);
    assert.equal((await userinfo(ctx, tokens.access)).status, 401);
    const next = (await (await refresh(ctx, basic(app), tokens.refresh)).json()) as { scope: string; access_token: string };
    assert.equal(next.scope, 'openid profile email');
    assert.equal((await userinfo(ctx, next.access_token)).status, 200);

    const listed = (await (await admin(ctx, writer, 'GET', `/users/${userId}/grants`)).json()) as { data: { scope: string }[] };
    assert.equal(listed.data[0]?.scope, 'openid profile email');
    const [event] = await ctx.scope.repos.events.list({ type: 'grant.scope_removed', userId });
    assert.deepEqual(event?.payload, { grant_id: grantId, removed: ['payments'], scope: 'openid profile email', by: 'admin' });
    assert.equal(event?.actor, `user:${writerId}`);
    assert.equal(event?.clientId, app.id);
  });

  it('removing openid or the last scope revokes the grant', async () => {
    const a = await signedIn();
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${a.userId}/grants/${a.grantId}/scopes/openid`)).status, 204);
    await assertOAuthError(await refresh(ctx, basic(app), a.tokens.refresh), 400, 'invalid_grant');
    const [revoked] = await ctx.scope.repos.events.list({ type: 'grant.revoked', userId: a.userId });
    assert.deepEqual(revoked?.payload, { grant_id: a.grantId, reason: 'revoked_by_admin' });

    const b = await signedIn('payments');
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${b.userId}/grants/${b.grantId}/scopes/payments`)).status, 204);
    assert.equal(await ctx.scope.repos.grants.findActive(b.grantId), undefined);
  });

  it('404 for a scope the grant does not hold, another user’s grant, or one already revoked; 403 for a viewer', async () => {
    const mine = await signedIn();
    const theirs = await signedIn();
    for (const route of [
      `/users/${mine.userId}/grants/${mine.grantId}/scopes/kyc`,
      `/users/${mine.userId}/grants/${theirs.grantId}/scopes/email`,
      `/users/${mine.userId}/grants/nope/scopes/email`,
    ]) {
      const res = await admin(ctx, writer, 'DELETE', route);
      assert.equal(res.status, 404, route);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    }
    const { token: viewer } = await personToken(ctx, 'viewer');
    assert.equal((await admin(ctx, viewer, 'DELETE', `/users/${mine.userId}/grants/${mine.grantId}/scopes/email`)).status, 403);
    assert.equal((await introspect(ctx, app, mine.tokens.access)).active, true, 'nothing changed');
    assert.equal((await introspect(ctx, app, theirs.tokens.access)).active, true);
  });

  it('the console’s user page removes a scope with a button per scope', async () => {
    const { userId, tokens, grantId } = await signedIn();
    const operator = await createOperator(ctx, 'admin');
    const { browser } = await consoleSignIn(ctx, operator.email, { start: '/admin/users' });
    let page = await consoleGet(browser, `/admin/users/${userId}`);
    assert.match(page.html, />Remove email</);
    page = await consolePost(browser, page, `/admin/users/${userId}/grants/remove-scope`, { grant_id: grantId, scope: 'email' });
    assert.match(page.html, /Scope removed\./);
    assert.equal((await introspect(ctx, app, tokens.access)).active, false);
    assert.equal((await ctx.scope.repos.grants.findActive(grantId))?.scope, 'openid profile payments');
    assert.doesNotMatch(page.html, />Remove email</);

    const viewer = await createOperator(ctx, 'viewer');
    const { browser: viewing } = await consoleSignIn(ctx, viewer.email, { start: '/admin/users' });
    const seen = await consoleGet(viewing, `/admin/users/${userId}`);
    assert.doesNotMatch(seen.html, />Remove profile</, 'a viewer gets no buttons');
  });
});

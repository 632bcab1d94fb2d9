import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { type TestContext, createTestClient, createTestUser } from '../helpers/harness.js';
import { twoIssuers } from '../helpers/two-issuers.js';

// The revocation feed (migration 034) of one issuer never lists another issuer's revocations,
// and the audit log's export and retention read and delete only their issuer's events.
describe('issuer isolation of the revocation feed', () => {
  let ctx: TestContext;
  let b: IssuerScope;

  before(async () => ({ ctx, b } = await twoIssuers()));
  after(() => ctx.close());

  it("issuer B's feed is empty of A's revoked grants and tokens, and A's lists them", async () => {
    const clientId = (await createTestClient(ctx)).client.id;
    const userId = (await createTestUser(ctx)).id;
    const grant = await ctx.scope.repos.grants.create({ clientId, userId, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
    await ctx.scope.repos.grants.revoke(grant.id, 'revoked_by_admin');
    await ctx.scope.repos.accessTokenRevocations.revoke('jti-of-a', ctx.clock() + 600, { clientId });
    const from = { revokedAt: 0, kind: '' as const, id: '' };
    const ids = (entries: { id: string }[]) => entries.map((e) => e.id).sort();
    assert.deepEqual(ids(await ctx.scope.repos.revocationFeed.after(from, 100, 900)), [grant.id, 'jti-of-a'].sort());
    assert.deepEqual(await b.repos.revocationFeed.after(from, 100, 900), []);
  });

  it('the audit export and retention (events.ascending, events.deleteBefore) stay within their issuer', async () => {
    const id = await ctx.scope.repos.events.record({ type: 'user.updated', payload: { changed: ['name'] } });
    assert.ok((await ctx.scope.repos.events.ascending({ limit: 1000 })).some((e) => e.id === id));
    assert.ok(!(await b.repos.events.ascending({ limit: 1000 })).some((e) => e.id === id));
    await b.repos.events.deleteBefore(ctx.clock() + 10, 1000);
    assert.ok(
      (await ctx.scope.repos.events.ascending({ limit: 1000 })).some((e) => e.id === id),
      "B's retention leaves A's log alone",
    );
  });
});

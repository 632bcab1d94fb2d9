import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { revokeGrant } from '../../src/services/grants.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

const SRC = path.join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('revokeGrant', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  const grantOf = async (userId: string, clientId: string, ttl = 3600): Promise<string> =>
    (await ctx.scope.repos.grants.create({ clientId, userId, scope: 'openid', sid: null, authTime: null, resource: null }, ttl)).id;

  it('ends one grant by id, once, with its event and reason', async () => {
    const user = await createTestUser(ctx);
    const { client } = await createTestClient(ctx);
    const id = await grantOf(user.id, client.id);
    assert.equal(await revokeGrant(ctx.scope.repos, { grantId: id }, 'revoked_by_admin'), 1);
    assert.equal(await revokeGrant(ctx.scope.repos, { grantId: id }, 'revoked_by_admin'), 0, 'an ended grant ends once');
    assert.equal(await ctx.scope.repos.grants.findActive(id), undefined);
    const events = await ctx.scope.repos.events.list({ type: 'grant.revoked', userId: user.id });
    assert.deepEqual(
      events.map((e) => e.payload),
      [{ grant_id: id, reason: 'revoked_by_admin' }],
    );
  });

  it("ends a user's grants to one client, or to every client, counting the live ones", async () => {
    const user = await createTestUser(ctx);
    const { client: a } = await createTestClient(ctx);
    const { client: b } = await createTestClient(ctx);
    const [a1, a2, b1] = [await grantOf(user.id, a.id), await grantOf(user.id, a.id), await grantOf(user.id, b.id)];
    assert.equal(await revokeGrant(ctx.scope.repos, { userId: user.id, clientId: a.id }, 'revoked_by_user'), 2);
    assert.equal(await ctx.scope.repos.grants.findActive(a1), undefined);
    assert.equal(await ctx.scope.repos.grants.findActive(a2), undefined);
    assert.ok(await ctx.scope.repos.grants.findActive(b1), 'the other app keeps its grant');
    assert.equal(await ctx.scope.transaction((repos) => revokeGrant(repos, { userId: user.id }, 'user_disabled')), 1);
    assert.equal(await ctx.scope.repos.grants.findActive(b1), undefined);
  });

  it('is the only place a grant ends: nothing else in the server calls the repository to revoke', () => {
    const allowed = new Set([path.join(SRC, 'services/grants.ts')]);
    const offenders = sourceFiles(SRC).filter(
      (file) => !allowed.has(file) && /\bgrants\.(revoke|revokeAllForUser|revokeForSessions)\(/.test(fs.readFileSync(file, 'utf8')),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(SRC, f)),
      [],
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runMaintenance } from '../../src/maintenance.js';
import { endSession, endUserSessions } from '../../src/services/sessions.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

// OIDC Core §11: a grant signed in through a session ends with it (logout, password change,
// "sign out everywhere", the session's lifetime), unless it was given offline_access.
describe('grants belong to the session they were signed in through', () => {
  let ctx: TestContext;
  let clientId: string;

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx)).client.id;
  });
  after(() => ctx.close());

  async function signedIn(ttl = 3600): Promise<{ userId: string; sessionId: string; online: string; offline: string; elsewhere: string }> {
    const user = await createTestUser(ctx);
    const { session } = await ctx.scope.repos.sessions.create(user.id, ttl);
    const other = (await ctx.scope.repos.sessions.create(user.id, 3600)).session;
    const grant = async (scope: string, sid: string): Promise<string> =>
      (await ctx.scope.repos.grants.create({ clientId, userId: user.id, scope, sid, authTime: session.authTime, resource: null }, 86_400)).id;
    return {
      userId: user.id,
      sessionId: session.id,
      online: await grant('openid profile', session.sid),
      offline: await grant('openid offline_access', session.sid),
      elsewhere: await grant('openid', other.sid),
    };
  }

  async function live(id: string): Promise<boolean> {
    return (await ctx.scope.repos.grants.findActive(id)) !== undefined;
  }

  it("logout ends the grants of that session, not its offline_access ones nor another session's", async () => {
    const s = await signedIn();
    await ctx.scope.transaction((repos) => endSession(repos, s.sessionId, 'logout'));
    assert.equal(await live(s.online), false);
    assert.equal(await live(s.offline), true);
    assert.equal(await live(s.elsewhere), true);
    const events = await ctx.scope.repos.events.list({ userId: s.userId });
    const revoked = events.filter((e) => e.type === 'grant.revoked');
    assert.deepEqual(
      revoked.map((e) => e.payload as { grant_id: string; reason: string }),
      [{ grant_id: s.online, reason: 'session_ended' }],
    );
  });

  it("a login replacing the browser's session leaves its apps their grants", async () => {
    const s = await signedIn();
    await ctx.scope.repos.sessions.end(s.sessionId);
    assert.equal(await live(s.online), true);
  });

  it("signing out everywhere ends every session's grants but offline ones", async () => {
    const s = await signedIn();
    await ctx.scope.transaction((repos) => endUserSessions(repos, s.userId, 'signed_out_elsewhere'));
    assert.deepEqual([await live(s.online), await live(s.offline), await live(s.elsewhere)], [false, true, false]);
  });

  it("the end of a session's lifetime ends its grants, at the next upkeep", async () => {
    const s = await signedIn(60);
    await runMaintenance(ctx.services);
    assert.equal(await live(s.online), true, 'not over yet');
    ctx.clock.advance(61);
    await runMaintenance(ctx.services);
    assert.equal(await live(s.online), false);
    assert.equal(await live(s.offline), true);
    const events = await ctx.scope.repos.events.list({ userId: s.userId });
    assert.ok(events.some((e) => e.type === 'session.ended' && (e.payload as { reason: string }).reason === 'expired'));
  });

  it('a scope that merely contains the word is not offline_access', async () => {
    const user = await createTestUser(ctx);
    const { session } = await ctx.scope.repos.sessions.create(user.id, 3600);
    const lookalike = (
      await ctx.scope.repos.grants.create(
        { clientId, userId: user.id, scope: 'openid offline_access:read', sid: session.sid, authTime: session.authTime, resource: null },
        3600,
      )
    ).id;
    await ctx.scope.transaction((repos) => endSession(repos, session.id, 'logout'));
    assert.equal(await live(lookalike), false);
  });
});

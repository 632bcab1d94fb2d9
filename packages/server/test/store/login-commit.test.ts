import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuthorizationRequest } from '../../src/authorize/request.js';
import { newCode } from '../../src/store/repos/codes.js';
import { newSession } from '../../src/store/repos/sessions.js';
import { TEST_REDIRECT_URI, type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

// A login that ends with a code is one statement on PostgreSQL and one transaction on SQLite:
// the interaction is finished once, and the session and the code exist exactly when it is.
describe('login commit', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  async function pending(): Promise<{ interactionId: string; clientId: string; userId: string }> {
    const { client } = await createTestClient(ctx);
    const user = await createTestUser(ctx);
    const request = { clientId: client.id, redirectUri: TEST_REDIRECT_URI } as AuthorizationRequest;
    const { interaction } = await ctx.scope.repos.interactions.create(request, 'login', 600, null, null);
    return { interactionId: interaction.id, clientId: client.id, userId: user.id };
  }

  function planned(clientId: string, userId: string) {
    const now = ctx.clock();
    const s = newSession('default', userId, 3600, now);
    const c = newCode(
      'default',
      {
        clientId,
        userId,
        redirectUri: TEST_REDIRECT_URI,
        codeChallenge: 'x'.repeat(43),
        scope: 'openid',
        nonce: null,
        sid: s.session.sid,
        authTime: now,
        resource: null,
      },
      60,
      now,
    );
    return { s, c };
  }

  const count = async (table: 'sessions' | 'authorization_codes', id: string): Promise<number> =>
    (await ctx.services.store.db.selectFrom(table).select('id').where('id', '=', id).execute()).length;

  it('finishes the interaction and stores the session and the code, once', async () => {
    const { interactionId, clientId, userId } = await pending();
    const first = planned(clientId, userId);
    assert.equal(await ctx.scope.repos.interactions.completeWithLogin(interactionId, first.s.row, first.c.row), true);
    assert.equal(await ctx.scope.repos.interactions.find(interactionId), undefined, 'finished');
    assert.deepEqual(await ctx.scope.repos.sessions.findByCookie(first.s.cookieValue), first.s.session);
    assert.equal(await count('authorization_codes', first.c.row.id), 1);

    const second = planned(clientId, userId);
    assert.equal(await ctx.scope.repos.interactions.completeWithLogin(interactionId, second.s.row, second.c.row), false);
    assert.equal(await count('sessions', second.s.row.id), 0, 'no second session');
    assert.equal(await count('authorization_codes', second.c.row.id), 0, 'no second code');
    const started = await ctx.scope.repos.events.list({ type: 'session.started', userId });
    assert.deepEqual(
      started.map((e) => [e.actor, e.payload]),
      [[`user:${userId}`, { sid: first.s.session.sid }]],
      'session.started with the session, once',
    );
  });

  it('lets one of 20 concurrent submits through', async () => {
    const { interactionId, clientId, userId } = await pending();
    const plans = Array.from({ length: 20 }, () => planned(clientId, userId));
    const results = await Promise.all(plans.map((p) => ctx.scope.repos.interactions.completeWithLogin(interactionId, p.s.row, p.c.row)));
    assert.equal(results.filter(Boolean).length, 1);
    const codes = await ctx.services.store.db
      .selectFrom('authorization_codes')
      .select('id')
      .where(
        'id',
        'in',
        plans.map((p) => p.c.row.id),
      )
      .execute();
    assert.equal(codes.length, 1);
    assert.equal((await ctx.scope.repos.events.list({ type: 'session.started', userId })).length, 1, 'one session.started');
  });
});

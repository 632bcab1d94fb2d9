import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';

const DAY = 86_400;

describe('the console’s repositories: setup links, event counts, user count', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('a setup link is live until it expires, and is spent once; spending one spends every other', async () => {
    const links = ctx.scope.repos.consoleSetupLinks;
    await links.create('hash-a', 3600);
    await links.create('hash-b', 3600);
    await links.create('hash-old', 60);
    ctx.clock.advance(61);
    assert.equal(await links.isLive('hash-old'), false);
    assert.equal(await links.consume('hash-old'), false, 'an expired link spends nothing');
    assert.equal(await links.isLive('hash-a'), true);
    assert.equal(await links.isLive('unknown'), false);
    const outcomes = await Promise.all([links.consume('hash-a'), links.consume('hash-a'), links.consume('hash-a')]);
    assert.deepEqual(outcomes.filter(Boolean).length, 1, 'one of concurrent uses spends the link');
    assert.equal(await links.isLive('hash-a'), false);
    assert.equal(await links.isLive('hash-b'), false, 'the issuer has its owner: the other link is spent too');
    assert.equal(await links.consume('hash-b'), false);
  });

  it('counts events per UTC day over the days asked for, distinct users, and lists the newest first', async () => {
    const stats = ctx.scope.repos.eventStats;
    const ada = await createTestUser(ctx, 'stats-ada@example.com');
    const bob = await createTestUser(ctx, 'stats-bob@example.com');
    // Noon of a day, so the advances below stay on known days whatever the real time is.
    const today = Math.floor(ctx.clock() / DAY) * DAY;
    ctx.clock.set(today + DAY / 2);
    const record = (type: 'session.started' | 'sign_in.failed', userId: string | null): Promise<unknown> =>
      ctx.scope.repos.events.record(
        type === 'session.started' ? { type, userId, payload: { sid: 's' } } : { type, userId, address: '192.0.2.1', payload: { reason: 'wrong_password' } },
      );
    await record('session.started', ada.id);
    await record('sign_in.failed', null);
    ctx.clock.advance(DAY);
    await record('session.started', ada.id);
    await record('session.started', bob.id);
    await record('sign_in.failed', bob.id);
    await record('sign_in.failed', bob.id);

    const daily = await stats.daily(['session.started', 'sign_in.failed'], 2);
    const counts = (type: string): number[] => [today, today + DAY].map((day) => daily.find((d) => d.day === day && d.type === type)?.count ?? 0);
    assert.deepEqual(counts('session.started'), [1, 2]);
    assert.deepEqual(counts('sign_in.failed'), [1, 2]);
    assert.deepEqual(
      (await stats.daily(['session.started'], 1)).map((d) => d.day),
      [today + DAY],
      'one day is today only',
    );
    assert.equal(await stats.distinctUsers('session.started', 2 * DAY), 2);
    assert.equal(await stats.distinctUsers('session.started', 60), 2);
    ctx.clock.advance(DAY);
    assert.equal(await stats.distinctUsers('session.started', 60), 0, 'nothing in the last minute');

    const recent = await stats.recent(['sign_in.failed'], 2);
    assert.equal(recent.length, 2);
    assert.ok(recent.every((e) => e.type === 'sign_in.failed' && e.userId === bob.id && e.address === '192.0.2.1'));
    assert.ok((recent[0]?.id ?? '') !== (recent[1]?.id ?? ''));
  });

  it('counts the issuer’s clients, leaving out a prefix compared literally', async () => {
    const base = { redirectUris: [], grantTypes: ['client_credentials' as const], scopes: ['x'], isPublic: false, firstParty: false };
    const before = await ctx.scope.repos.clients.count();
    await ctx.scope.repos.clients.create({ ...base, id: 'gh_console_counted', name: 'Console' });
    await ctx.scope.repos.clients.create({ ...base, id: 'ghXconsoleXother', name: 'Lookalike' });
    await ctx.scope.repos.clients.create({ ...base, name: 'Plain' });
    assert.equal(await ctx.scope.repos.clients.count(), before + 3);
    assert.equal(await ctx.scope.repos.clients.count('gh_console_'), before + 2, '_ is no wildcard: the lookalike is counted');
  });

  it('counts the issuer’s users', async () => {
    const before = await ctx.scope.repos.users.count();
    await createTestUser(ctx, 'count-me@example.com');
    assert.equal(await ctx.scope.repos.users.count(), before + 1);
  });
});

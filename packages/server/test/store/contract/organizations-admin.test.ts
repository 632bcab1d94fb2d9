import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, createTestUser } from '../../helpers/harness.js';

// The store contract of what the Admin API added to the organizations repository (issue 19):
// page() with its cursor and search, and update() with a revision, on both backends.
describe('store contract: organizations page and conditional update', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());
  const repo = () => ctx.scope.repos.organizations;

  it('page: oldest first, after a (created_at, id) key, with counts, and q on name or id in any case', async () => {
    // Three in the same second: the id breaks the tie, so no row is skipped or repeated between pages.
    await repo().create({ id: 'pg-alpha', name: 'Alpha' });
    await repo().create({ id: 'pg-beta', name: 'Beta 50%_off' });
    await repo().create({ id: 'pg-gamma', name: 'Gamma' });
    ctx.clock.advance(1);
    await repo().create({ id: 'pg-delta', name: 'Delta' });
    await ctx.scope.repos.organizationRoles.set('pg-alpha', 'owner', ['manage:all']);
    const user = await createTestUser(ctx);
    await ctx.scope.repos.memberships.add('pg-alpha', user.id, ['owner']);

    const first = await repo().page({ limit: 2 });
    assert.equal(first.length, 3, 'limit + 1 rows: the caller learns there is more');
    assert.deepEqual(
      first.map((o) => o.id),
      ['pg-alpha', 'pg-beta', 'pg-gamma'],
    );
    assert.deepEqual([first[0]?.members, first[0]?.roles, first[0]?.revision], [1, 1, 1]);
    const second = await repo().page({ limit: 2, after: [first[1]?.createdAt ?? 0, first[1]?.id ?? ''] });
    assert.deepEqual(
      second.map((o) => o.id),
      ['pg-gamma', 'pg-delta'],
    );
    assert.deepEqual(
      (await repo().page({ limit: 10, q: 'GAMM' })).map((o) => o.id),
      ['pg-gamma'],
    );
    assert.deepEqual(
      (await repo().page({ limit: 10, q: '50%_' })).map((o) => o.id),
      ['pg-beta'],
      '% and _ are literal',
    );
    assert.deepEqual(
      (await repo().page({ limit: 10, q: 'pg-del' })).map((o) => o.id),
      ['pg-delta'],
    );
    assert.deepEqual(await repo().page({ limit: 10, q: 'nothing-like-it' }), []);
  });

  it('update: bumps the revision; with a revision, applies only to that one', async () => {
    await repo().create({ id: 'pg-rev', name: 'Rev' });
    assert.equal((await repo().find('pg-rev'))?.revision, 1);
    assert.equal(await repo().update('pg-rev', { name: 'Rev 2' }, 1), true);
    assert.equal((await repo().find('pg-rev'))?.revision, 2);
    assert.equal(await repo().update('pg-rev', { name: 'Lost' }, 1), false, 'stale revision');
    assert.equal((await repo().find('pg-rev'))?.name, 'Rev 2');
    assert.equal(await repo().update('pg-rev', { suspended: true }), true, 'unconditional');
    const now = await repo().find('pg-rev');
    assert.deepEqual([now?.revision, now?.suspended], [3, true]);
    assert.equal(await repo().update('pg-none', { name: 'X' }, 1), false);
  });

  it('members page: by email, after an email, each member with every role, none split between pages', async () => {
    await repo().create({ id: 'pg-members', name: 'Members' });
    await ctx.scope.repos.organizationRoles.set('pg-members', 'billing', ['read:invoices']);
    await ctx.scope.repos.organizationRoles.set('pg-members', 'support', ['read:tickets']);
    for (const name of ['dora', 'ada', 'cleo', 'bea']) {
      const user = await ctx.scope.repos.users.create({ email: `${name}@members.example`, passwordHash: null });
      await ctx.scope.repos.memberships.add('pg-members', user.id, name === 'ada' ? ['support', 'billing'] : ['billing']);
    }
    const members = ctx.scope.repos.memberships;
    const first = await members.page('pg-members', { limit: 2 });
    assert.deepEqual(
      first.map((m) => [m.email, m.roles]),
      [
        ['ada@members.example', ['billing', 'support']],
        ['bea@members.example', ['billing']],
        ['cleo@members.example', ['billing']],
      ],
      'limit + 1 members, each with all their roles',
    );
    assert.deepEqual(
      (await members.page('pg-members', { limit: 2, after: 'bea@members.example' })).map((m) => m.email),
      ['cleo@members.example', 'dora@members.example'],
    );
    assert.deepEqual(await members.page('pg-members', { limit: 2, after: 'dora@members.example' }), []);
    assert.deepEqual(await members.page('no-such-org', { limit: 2 }), []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidNameError } from '../../src/organizations/names.js';
import { DuplicateMembershipError, UnknownRoleError } from '../../src/store/repos/memberships.js';
import { DuplicateOrganizationError, RetiredOrganizationIdError } from '../../src/store/repos/organizations.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';

// The organization tables on the backend under test (SQLite, or PostgreSQL with TEST_DATABASE_URL).
describe('organization repositories', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  const repos = () => ctx.scope.repos;
  let n = 0;
  const slug = (): string => `acme-${++n}`;

  it('creates organizations under a generated org_ id or a chosen slug, and refuses duplicates and bad ids', async () => {
    const generated = await repos().organizations.create({ name: 'Generated' });
    assert.match(generated.id, /^org_[0-9a-f]{20}$/);
    assert.equal(generated.suspended, false);
    const id = slug();
    const chosen = await repos().organizations.create({ id, name: 'Acme' });
    assert.deepEqual(await repos().organizations.find(id), chosen);
    await assert.rejects(repos().organizations.create({ id, name: 'Again' }), DuplicateOrganizationError);
    for (const bad of ['Acme', 'a', '-acme', 'acme-', 'ac me', 'acme!', 'x'.repeat(65), 'é-corp']) {
      await assert.rejects(repos().organizations.create({ id: bad, name: 'Bad' }), InvalidNameError, bad);
    }
  });

  it('renames, suspends, resumes and lists with member and role counts', async () => {
    const id = slug();
    await repos().organizations.create({ id, name: 'Before' });
    const user = await createTestUser(ctx);
    await repos().organizationRoles.set(id, 'admin', ['write:projects']);
    await repos().memberships.add(id, user.id, ['admin']);
    assert.equal(await repos().organizations.rename(id, 'After'), true);
    assert.equal(await repos().organizations.setSuspended(id, true), true);
    let listed = (await repos().organizations.list()).find((o) => o.id === id);
    assert.deepEqual(
      { name: listed?.name, suspended: listed?.suspended, members: listed?.members, roles: listed?.roles },
      { name: 'After', suspended: true, members: 1, roles: 1 },
    );
    await repos().organizations.setSuspended(id, false);
    listed = (await repos().organizations.list()).find((o) => o.id === id);
    assert.equal(listed?.suspended, false);
    assert.equal(await repos().organizations.rename('no-such-org', 'X'), false);
    assert.equal(await repos().organizations.setSuspended('no-such-org', true), false);
  });

  it('defines and replaces roles with sorted, distinct, valid permissions', async () => {
    const id = slug();
    await repos().organizations.create({ id, name: 'Roles' });
    const first = await repos().organizationRoles.set(id, 'admin', ['write:projects', 'read:billing', 'write:projects']);
    assert.equal(first.created, true);
    assert.deepEqual(first.role.permissions, ['read:billing', 'write:projects']);
    const second = await repos().organizationRoles.set(id, 'admin', ['read:projects']);
    assert.equal(second.created, false);
    assert.deepEqual((await repos().organizationRoles.find(id, 'admin'))?.permissions, ['read:projects']);
    await repos().organizationRoles.set(id, 'viewer', []);
    assert.deepEqual(
      (await repos().organizationRoles.list(id)).map((r) => [r.name, r.permissions]),
      [
        ['admin', ['read:projects']],
        ['viewer', []],
      ],
    );
    for (const bad of ['write', 'write:', ':projects', 'a:b:c', 'write:*', 'Write:projects', 'write:pro jects', `write:${'x'.repeat(130)}`]) {
      await assert.rejects(repos().organizationRoles.set(id, 'bad', [bad]), InvalidNameError, bad);
    }
    for (const bad of ['Admin', '', 'a b', '-admin', 'x'.repeat(65)]) {
      await assert.rejects(repos().organizationRoles.set(id, bad, []), InvalidNameError, bad);
    }
    await assert.rejects(repos().organizationRoles.set('no-such-org', 'admin', []), 'the organization must exist');
  });

  it('adds members with roles of their organization only, changes and removes them', async () => {
    const id = slug();
    const other = slug();
    await repos().organizations.create({ id, name: 'Members' });
    await repos().organizations.create({ id: other, name: 'Other' });
    await repos().organizationRoles.set(id, 'admin', ['write:projects']);
    await repos().organizationRoles.set(id, 'viewer', ['read:projects']);
    await repos().organizationRoles.set(other, 'owner', ['delete:everything']);
    const [ada, bob] = [await createTestUser(ctx, `ada-${id}@example.com`), await createTestUser(ctx, `bob-${id}@example.com`)] as [User, User];

    await assert.rejects(
      ctx.scope.transaction((r) => r.memberships.add(id, ada.id, ['admin', 'owner'])),
      (e: unknown) => e instanceof UnknownRoleError && e.roles.join() === 'owner',
    );
    assert.equal(await repos().memberships.find(id, ada.id), undefined, 'nothing was added');

    const added = await ctx.scope.transaction((r) => r.memberships.add(id, ada.id, ['viewer', 'admin', 'admin']));
    assert.deepEqual(added.roles, ['admin', 'viewer']);
    assert.equal(added.email, ada.email);
    await assert.rejects(
      ctx.scope.transaction((r) => r.memberships.add(id, ada.id, [])),
      DuplicateMembershipError,
    );
    await ctx.scope.transaction((r) => r.memberships.add(id, bob.id, []));
    assert.deepEqual(
      (await repos().memberships.list(id)).map((m) => [m.email, m.roles]),
      [
        [ada.email, ['admin', 'viewer']],
        [bob.email, []],
      ],
    );

    assert.deepEqual((await ctx.scope.transaction((r) => r.memberships.setRoles(id, ada.id, ['viewer'])))?.roles, ['viewer']);
    assert.equal(await ctx.scope.transaction((r) => r.memberships.setRoles(other, ada.id, [])), undefined, 'not a member there');
    assert.equal(await repos().memberships.remove(id, bob.id), true);
    assert.equal(await repos().memberships.remove(id, bob.id), false);
    assert.deepEqual(
      (await repos().memberships.list(id)).map((m) => m.email),
      [ada.email],
    );
  });

  it('reads the claim: one entry per membership of a live organization, permissions the sorted union of its roles', async () => {
    const [a, b, c] = [slug(), slug(), slug()];
    for (const id of [a, b, c]) await repos().organizations.create({ id, name: id });
    await repos().organizationRoles.set(a, 'admin', ['write:projects', 'read:billing']);
    await repos().organizationRoles.set(a, 'viewer', ['read:projects', 'read:billing']);
    await repos().organizationRoles.set(b, 'viewer', ['read:projects']);
    await repos().organizationRoles.set(c, 'admin', ['write:projects']);
    const user = await createTestUser(ctx);
    const bystander = await createTestUser(ctx);
    assert.deepEqual(await repos().memberships.claimsOf(user.id), [], 'no memberships: an empty claim');

    await ctx.scope.transaction(async (r) => {
      await r.memberships.add(a, user.id, ['viewer', 'admin']);
      await r.memberships.add(b, user.id, []);
      await r.memberships.add(c, user.id, ['admin']);
      await r.memberships.add(a, bystander.id, ['viewer']);
    });
    assert.deepEqual(await repos().memberships.claimsOf(user.id), [
      { id: a, roles: ['admin', 'viewer'], permissions: ['read:billing', 'read:projects', 'write:projects'] },
      { id: b, roles: [], permissions: [] },
      { id: c, roles: ['admin'], permissions: ['write:projects'] },
    ]);

    await repos().organizations.setSuspended(c, true);
    assert.deepEqual(
      (await repos().memberships.claimsOf(user.id)).map((m) => m.id),
      [a, b],
      'a suspended organization is left out',
    );

    // Deleting a role takes it from its members; deleting an organization takes its memberships.
    assert.equal(await ctx.scope.transaction((r) => r.organizationRoles.delete(a, 'admin')), 1);
    assert.equal(await repos().organizationRoles.delete(a, 'admin'), undefined);
    assert.deepEqual((await repos().memberships.claimsOf(user.id))[0], { id: a, roles: ['viewer'], permissions: ['read:billing', 'read:projects'] });
    assert.equal(await repos().organizations.delete(b), true);
    assert.equal(await repos().organizations.delete(b), false);
    await assert.rejects(repos().organizations.create({ id: b, name: 'Another' }), RetiredOrganizationIdError, 'its id is retired');
    assert.deepEqual(
      (await repos().memberships.claimsOf(user.id)).map((m) => m.id),
      [a],
    );
    assert.deepEqual(await repos().memberships.claimsOf(bystander.id), [{ id: a, roles: ['viewer'], permissions: ['read:billing', 'read:projects'] }]);

    assert.equal(await repos().organizations.delete(a), true);
    const leftovers = await ctx.services.store.db.selectFrom('organization_member_roles').select('role').where('organization_id', '=', a).execute();
    assert.deepEqual(leftovers, [], 'member roles cascade with the organization');
    assert.deepEqual(await repos().memberships.claimsOf(user.id), []);
  });
});

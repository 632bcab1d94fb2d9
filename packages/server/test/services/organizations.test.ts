import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceError } from '../../src/services/errors.js';
import {
  addMember,
  createOrganization,
  deleteOrganization,
  deleteRole,
  removeMember,
  setMemberRoles,
  setRole,
  updateOrganization,
} from '../../src/services/organizations.js';
import { actingAs } from '../../src/store/repos/events.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';

/** Resolves when `promise` rejects with a ServiceError of `code` naming `field`. */
async function refused(promise: Promise<unknown>, code: ServiceError['code'], field: string | undefined): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ServiceError, `a ServiceError, not ${String(error)}`);
    assert.deepEqual({ code: error.code, field: error.field }, { code, field }, error.message);
    return true;
  });
}

describe('the organizations service', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  const eventsSince = async (count: number) => (await ctx.scope.repos.events.list({ limit: 1000 })).slice(0, count).reverse();

  it('creates, changes and deletes organizations, roles and members, each with its event and actor', async () => {
    const user = await createTestUser(ctx);
    await actingAs('cli', async () => {
      await createOrganization(ctx.scope, { id: 'svc-acme', name: ' Acme ' });
      await updateOrganization(ctx.scope, 'svc-acme', { name: 'Acme Inc' });
      await updateOrganization(ctx.scope, 'svc-acme', { suspended: false }); // no change: no event
      await setRole(ctx.scope, 'svc-acme', 'admin', ['write:projects', 'read:billing', 'write:projects']);
      await setRole(ctx.scope, 'svc-acme', 'admin', ['read:billing']);
      await setRole(ctx.scope, 'svc-acme', 'viewer', []);
      await addMember(ctx.scope, 'svc-acme', user.id, ['admin']);
      await setMemberRoles(ctx.scope, 'svc-acme', user.id, ['viewer', 'admin']);
      assert.equal(await deleteRole(ctx.scope, 'svc-acme', 'admin'), 1);
      await removeMember(ctx.scope, 'svc-acme', user.id);
      await deleteOrganization(ctx.scope, 'svc-acme');
    });
    const events = await eventsSince(10);
    assert.deepEqual(
      events.map((e) => [e.type, e.payload]),
      [
        ['organization.created', { organization_id: 'svc-acme', name: 'Acme' }],
        ['organization.updated', { organization_id: 'svc-acme', changed: ['name'] }],
        ['organization.role_created', { organization_id: 'svc-acme', role: 'admin', permissions: ['read:billing', 'write:projects'] }],
        ['organization.role_updated', { organization_id: 'svc-acme', role: 'admin', permissions: ['read:billing'] }],
        ['organization.role_created', { organization_id: 'svc-acme', role: 'viewer', permissions: [] }],
        ['organization.member_added', { organization_id: 'svc-acme', roles: ['admin'] }],
        ['organization.member_roles_changed', { organization_id: 'svc-acme', roles: ['admin', 'viewer'] }],
        ['organization.role_deleted', { organization_id: 'svc-acme', role: 'admin', members_affected: 1 }],
        ['organization.member_removed', { organization_id: 'svc-acme' }],
        ['organization.deleted', { organization_id: 'svc-acme' }],
      ],
    );
    assert.ok(events.every((e) => e.actor === 'cli'));
    assert.deepEqual(
      events.filter((e) => e.type.includes('member')).map((e) => e.userId),
      [user.id, user.id, user.id],
    );
  });

  it('refuses bad input and unknown or taken names with typed errors naming the field, and records nothing', async () => {
    const user = await createTestUser(ctx);
    await createOrganization(ctx.scope, { id: 'svc-beta', name: 'Beta' });
    await setRole(ctx.scope, 'svc-beta', 'admin', []);
    const before = (await ctx.scope.repos.events.list({ limit: 1000 })).length;
    await refused(createOrganization(ctx.scope, { id: 'Beta', name: 'x' }), 'invalid', 'id');
    await refused(createOrganization(ctx.scope, { name: 'a\nb' }), 'invalid', 'name');
    await refused(createOrganization(ctx.scope, { id: 'svc-beta', name: 'Again' }), 'conflict', 'id');
    await refused(updateOrganization(ctx.scope, 'svc-beta', {}), 'invalid', undefined);
    await refused(updateOrganization(ctx.scope, 'svc-nope', { name: 'x' }), 'not_found', 'organization');
    await refused(deleteOrganization(ctx.scope, 'svc-nope'), 'not_found', 'organization');
    await refused(setRole(ctx.scope, 'svc-beta', 'Admin', []), 'invalid', 'role');
    await refused(setRole(ctx.scope, 'svc-beta', 'admin', ['write:*']), 'invalid', 'permissions');
    await refused(setRole(ctx.scope, 'svc-nope', 'admin', []), 'not_found', 'organization');
    await refused(deleteRole(ctx.scope, 'svc-beta', 'owner'), 'not_found', 'role');
    await refused(addMember(ctx.scope, 'svc-beta', 'no-such-user', []), 'not_found', 'user');
    await refused(addMember(ctx.scope, 'svc-beta', user.id, ['Owner']), 'invalid', 'roles');
    await refused(addMember(ctx.scope, 'svc-beta', user.id, ['owner']), 'not_found', 'roles');
    await refused(setMemberRoles(ctx.scope, 'svc-beta', user.id, []), 'not_found', 'user');
    await refused(removeMember(ctx.scope, 'svc-beta', user.id), 'not_found', 'user');
    await addMember(ctx.scope, 'svc-beta', user.id, ['admin']);
    await refused(addMember(ctx.scope, 'svc-beta', user.id, []), 'conflict', 'user');
    await deleteOrganization(ctx.scope, 'svc-beta');
    await refused(createOrganization(ctx.scope, { id: 'svc-beta', name: 'Reused' }), 'conflict', 'id');
    const all = await ctx.scope.repos.events.list({ limit: 1000 });
    const types = all.slice(0, all.length - before).map((e) => e.type);
    assert.deepEqual(types.reverse(), ['organization.member_added', 'organization.deleted']);
  });
});

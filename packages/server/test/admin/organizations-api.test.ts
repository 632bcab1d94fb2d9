import { at } from '../helpers/prefix.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';

interface Problem {
  type: string;
  detail?: string;
  errors?: { field: string; detail: string }[];
}

const fields = (p: Problem): string[] => (p.errors ?? []).map((e) => e.field);

describe('Admin API: organizations, roles and members', () => {
  let ctx: TestContext;
  let writer: string;
  let writerId: string;
  before(async () => {
    ctx = await createTestContext();
    ({ token: writer, userId: writerId } = await personToken(ctx, 'admin'));
  });
  after(() => ctx.close());

  it('creates an organization (idempotently), reads it with an ETag, and records the actor', async () => {
    const headers = { 'idempotency-key': 'org-create-1' };
    const res = await admin(ctx, writer, 'POST', '/organizations', { id: 'acme', name: 'Acme Corp' }, headers);
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(res.headers.get('location'), at('/admin/api/v1/organizations/acme'));
    assert.equal(res.headers.get('etag'), '"1"');
    const created = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(
      { ...created, created_at: undefined, updated_at: undefined },
      {
        id: 'acme',
        name: 'Acme Corp',
        suspended: false,
        mfa: 'off',
        members: 0,
        roles: 0,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    const again = await admin(ctx, writer, 'POST', '/organizations', { id: 'acme', name: 'Acme Corp' }, headers);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const events = await ctx.scope.repos.events.list({ type: 'organization.created' });
    assert.equal(events.filter((e) => (e.payload as { organization_id: string }).organization_id === 'acme').length, 1);
    assert.equal(events[0]?.actor, `user:${writerId}`);

    const read = await admin(ctx, writer, 'GET', '/organizations/acme');
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('etag'), '"1"');
    const taken = await admin(ctx, writer, 'POST', '/organizations', { id: 'acme', name: 'Again' });
    assert.equal(taken.status, 409);
    assert.deepEqual(fields((await taken.json()) as Problem), ['id']);
  });

  it('refuses bad input with problems naming the field', async () => {
    const badId = await admin(ctx, writer, 'POST', '/organizations', { id: 'Not OK', name: 'X' });
    assert.equal(badId.status, 400);
    assert.equal(badId.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(fields((await badId.json()) as Problem), ['id']);
    const noName = await admin(ctx, writer, 'POST', '/organizations', { name: '   ' });
    assert.deepEqual(fields((await noName.json()) as Problem), ['name']);
    const extra = await admin(ctx, writer, 'POST', '/organizations', { name: 'X', colour: 'red' });
    assert.deepEqual(fields((await extra.json()) as Problem), ['colour']);
    const empty = await admin(ctx, writer, 'PATCH', '/organizations/acme', {});
    assert.equal(empty.status, 400);
    const missing = await admin(ctx, writer, 'GET', '/organizations/nope');
    assert.equal(missing.status, 404);
    const cursor = await admin(ctx, writer, 'GET', '/organizations?cursor=xyz');
    assert.deepEqual(fields((await cursor.json()) as Problem), ['query.cursor']);
  });

  it('pages and searches by name or id', async () => {
    for (const [id, name] of [
      ['globex', 'Globex'],
      ['initech', 'Initech'],
      ['umbrella', 'Umbrella 50% Corp'],
    ]) {
      ctx.clock.advance(1);
      assert.equal((await admin(ctx, writer, 'POST', '/organizations', { id, name })).status, 201);
    }
    const first = (await (await admin(ctx, writer, 'GET', '/organizations?limit=2')).json()) as { data: { id: string }[]; next_cursor: string };
    assert.equal(first.data.length, 2);
    assert.ok(first.next_cursor);
    const rest = (await (await admin(ctx, writer, 'GET', `/organizations?limit=2&cursor=${first.next_cursor}`)).json()) as { data: { id: string }[] };
    const ids = [...first.data, ...rest.data].map((o) => o.id);
    assert.deepEqual(ids.slice(0, 4), ['acme', 'globex', 'initech', 'umbrella']);
    const found = (await (await admin(ctx, writer, 'GET', `/organizations?q=${encodeURIComponent('50%')}`)).json()) as { data: { id: string }[] };
    assert.deepEqual(
      found.data.map((o) => o.id),
      ['umbrella'],
    );
    const byId = (await (await admin(ctx, writer, 'GET', '/organizations?q=INITE')).json()) as { data: { id: string }[] };
    assert.deepEqual(
      byId.data.map((o) => o.id),
      ['initech'],
    );
  });

  it('updates with If-Match: a stale revision gets 412 and nothing is lost', async () => {
    const first = await admin(ctx, writer, 'PATCH', '/organizations/globex', { name: 'Globex Corporation' }, { 'if-match': '"1"' });
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(first.headers.get('etag'), '"2"');
    const second = await admin(ctx, writer, 'PATCH', '/organizations/globex', { suspended: true }, { 'if-match': '"1"' });
    assert.equal(second.status, 412);
    const now = (await (await admin(ctx, writer, 'GET', '/organizations/globex')).json()) as { name: string; suspended: boolean };
    assert.deepEqual(now, { ...now, name: 'Globex Corporation', suspended: false });
    const suspended = await admin(ctx, writer, 'PATCH', '/organizations/globex', { suspended: true });
    assert.equal(((await suspended.json()) as { suspended: boolean }).suspended, true);
    const [event] = await ctx.scope.repos.events.list({ type: 'organization.updated' });
    assert.deepEqual(event?.payload, { organization_id: 'globex', changed: ['suspended'] });
    assert.equal(event?.actor, `user:${writerId}`);
    const staleDelete = await admin(ctx, writer, 'DELETE', '/organizations/globex', undefined, { 'if-match': '"2"' });
    assert.equal(staleDelete.status, 412);
  });

  it('defines, changes and deletes roles', async () => {
    const made = await admin(ctx, writer, 'POST', '/organizations/acme/roles', {
      name: 'billing',
      permissions: ['write:billing', 'read:billing', 'read:billing'],
    });
    assert.equal(made.status, 201, await made.clone().text());
    assert.deepEqual(((await made.json()) as { permissions: string[] }).permissions, ['read:billing', 'write:billing']);
    const twice = await admin(ctx, writer, 'POST', '/organizations/acme/roles', { name: 'billing', permissions: [] });
    assert.equal(twice.status, 409);
    assert.deepEqual(fields((await twice.json()) as Problem), ['name']);
    const badName = await admin(ctx, writer, 'POST', '/organizations/acme/roles', { name: 'Bad Name', permissions: [] });
    assert.deepEqual(fields((await badName.json()) as Problem), ['name']);
    const wildcard = await admin(ctx, writer, 'POST', '/organizations/acme/roles', { name: 'all', permissions: ['*:*'] });
    assert.equal(wildcard.status, 400);
    assert.deepEqual(fields((await wildcard.json()) as Problem), ['permissions']);
    const changed = await admin(ctx, writer, 'PATCH', '/organizations/acme/roles/billing', { permissions: ['read:billing'] });
    assert.equal(changed.status, 200);
    const unknown = await admin(ctx, writer, 'PATCH', '/organizations/acme/roles/ghost', { permissions: [] });
    assert.equal(unknown.status, 404);
    assert.equal((await admin(ctx, writer, 'POST', '/organizations/acme/roles', { name: 'viewer', permissions: ['read:projects'] })).status, 201);
    const list = (await (await admin(ctx, writer, 'GET', '/organizations/acme/roles')).json()) as { data: { name: string; permissions: string[] }[] };
    assert.deepEqual(
      list.data.map((r) => [r.name, r.permissions]),
      [
        ['billing', ['read:billing']],
        ['viewer', ['read:projects']],
      ],
    );
    assert.equal((await admin(ctx, writer, 'DELETE', '/organizations/acme/roles/viewer')).status, 204);
    assert.equal((await admin(ctx, writer, 'DELETE', '/organizations/acme/roles/viewer')).status, 404);
    const types = (await ctx.scope.repos.events.list()).filter((e) => e.type.startsWith('organization.role_')).map((e) => e.type);
    assert.deepEqual(types.slice(0, 4), ['organization.role_deleted', 'organization.role_created', 'organization.role_updated', 'organization.role_created']);
  });

  it('adds members by id or email, sets their roles, and removes them', async () => {
    const ada = await createTestUser(ctx, 'ada.org@example.com');
    const added = await admin(ctx, writer, 'PUT', `/organizations/acme/members/${encodeURIComponent(ada.email)}`, { roles: ['billing'] });
    assert.equal(added.status, 201, await added.clone().text());
    assert.deepEqual(((await added.json()) as { sub: string; roles: string[] }).roles, ['billing']);
    const set = await admin(ctx, writer, 'PUT', `/organizations/acme/members/${ada.id}`, { roles: [] });
    assert.equal(set.status, 200);
    const badRole = await admin(ctx, writer, 'PUT', `/organizations/acme/members/${ada.id}`, { roles: ['ghost'] });
    assert.equal(badRole.status, 404);
    assert.deepEqual(fields((await badRole.json()) as Problem), ['roles']);
    const nobody = await admin(ctx, writer, 'PUT', '/organizations/acme/members/nobody%40example.com', { roles: [] });
    assert.equal(nobody.status, 404);
    assert.deepEqual(fields((await nobody.json()) as Problem), ['user_id']);
    const noBody = await admin(ctx, writer, 'PUT', `/organizations/acme/members/${ada.id}`, { role: 'x' });
    assert.equal(noBody.status, 400);
    const members = (await (await admin(ctx, writer, 'GET', '/organizations/acme/members')).json()) as {
      data: { sub: string; email: string; roles: string[] }[];
    };
    assert.deepEqual(members.data, [{ ...members.data[0], sub: ada.id, email: ada.email, roles: [] }]);
    const org = (await (await admin(ctx, writer, 'GET', '/organizations/acme')).json()) as { members: number; roles: number };
    assert.deepEqual([org.members, org.roles], [1, 1]);
    const [changed] = await ctx.scope.repos.events.list({ type: 'organization.member_roles_changed', userId: ada.id });
    assert.equal(changed?.actor, `user:${writerId}`);
    assert.equal((await admin(ctx, writer, 'DELETE', `/organizations/acme/members/${ada.id}`)).status, 204);
    assert.equal((await admin(ctx, writer, 'DELETE', `/organizations/acme/members/${ada.id}`)).status, 404);
  });

  it('deletes an organization for good: its id is retired', async () => {
    assert.equal((await admin(ctx, writer, 'DELETE', '/organizations/initech', undefined, { 'if-match': '"1"' })).status, 204);
    assert.equal((await admin(ctx, writer, 'GET', '/organizations/initech')).status, 404);
    const reuse = await admin(ctx, writer, 'POST', '/organizations', { id: 'initech', name: 'Initech again' });
    assert.equal(reuse.status, 409);
  });

  it('lets a viewer read but not write', async () => {
    const viewer = (await personToken(ctx, 'viewer')).token;
    assert.equal((await admin(ctx, viewer, 'GET', '/organizations/acme/members')).status, 200);
    assert.equal((await admin(ctx, viewer, 'POST', '/organizations', { name: 'Nope' })).status, 403);
  });

  it('pages members by email with a cursor', async () => {
    await admin(ctx, writer, 'POST', '/organizations', { id: 'paged', name: 'Paged' });
    for (const name of ['c', 'a', 'b']) {
      const user = await ctx.scope.repos.users.create({ email: `${name}@paged.example`, passwordHash: null });
      assert.equal((await admin(ctx, writer, 'PUT', `/organizations/paged/members/${user.id}`, { roles: [] })).status, 201);
    }
    const first = (await (await admin(ctx, writer, 'GET', '/organizations/paged/members?limit=2')).json()) as {
      data: { email: string }[];
      next_cursor: string | null;
    };
    assert.deepEqual(
      first.data.map((m) => m.email),
      ['a@paged.example', 'b@paged.example'],
    );
    assert.ok(first.next_cursor);
    const next = (await (await admin(ctx, writer, 'GET', `/organizations/paged/members?limit=2&cursor=${first.next_cursor}`)).json()) as {
      data: { email: string }[];
      next_cursor: string | null;
    };
    assert.deepEqual([next.data.map((m) => m.email), next.next_cursor], [['c@paged.example'], null]);
    assert.equal((await admin(ctx, writer, 'GET', '/organizations/paged/members?cursor=nope')).status, 400);
  });
});

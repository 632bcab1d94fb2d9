import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../src/auth/password.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { type MailTestContext, linkIn, mailTestContext, mailsTo, setNewPassword, browserAt, CHANGED_TEXT } from '../helpers/password-pages.js';
import { at } from '../helpers/prefix.js';

interface UserBody {
  user_id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  disabled: boolean;
  has_password: boolean;
}

describe('Admin API: users', () => {
  let ctx: TestContext;
  let writer: string;
  let writerId: string;
  before(async () => {
    ctx = await createTestContext();
    ({ token: writer, userId: writerId } = await personToken(ctx, 'admin'));
  });
  after(() => ctx.close());

  const create = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ res: Response; user: UserBody }> => {
    const res = await admin(ctx, writer, 'POST', '/users', body, headers);
    const user = (await res.clone().json()) as UserBody;
    return { res, user };
  };

  it('creates a user with a password (argon2id), shown without its hash, as an event with the actor', async () => {
    const { res, user } = await create({ email: 'Lin@Example.com', name: 'Lin Wei', email_verified: true, password: 'a long enough password' });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(res.headers.get('location'), at(`/admin/api/v1/users/${user.user_id}`));
    assert.equal(res.headers.get('etag'), '"1"');
    assert.equal(user.email, 'lin@example.com');
    assert.equal(user.has_password, true);
    assert.ok(!JSON.stringify(user).includes('argon2'));
    const stored = await ctx.scope.repos.users.findById(user.user_id);
    assert.match(stored?.passwordHash ?? '', /^\$argon2id\$/);
    assert.ok(await verifyPassword(stored?.passwordHash ?? null, 'a long enough password'));
    const [event] = await ctx.scope.repos.events.list({ type: 'user.created', userId: user.user_id });
    assert.equal(event?.actor, `user:${writerId}`);

    const dup = await create({ email: 'lin@example.com' });
    assert.equal(dup.res.status, 409);
    const short = await create({ email: 'short@example.com', password: 'short' });
    assert.equal(short.res.status, 400);
    assert.deepEqual(
      ((await short.res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['password'],
    );
    const both = await create({ email: 'both@example.com', password: 'a long enough password', invite: true });
    assert.equal(both.res.status, 400);
  });

  it('a create retried with its Idempotency-Key makes one user', async () => {
    const body = { email: 'retry@example.com', name: 'Retry' };
    const first = await create(body, { 'idempotency-key': 'user-retry-1' });
    const again = await create(body, { 'idempotency-key': 'user-retry-1' });
    assert.equal(first.res.status, 201);
    assert.equal(again.res.status, 201);
    assert.equal(again.res.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.user.user_id, first.user.user_id);
  });

  it('refuses an invitation without mail configured (409), creating nobody', async () => {
    const { res } = await create({ email: 'nomail@example.com', invite: true });
    assert.equal(res.status, 409);
    assert.equal(await ctx.scope.repos.users.findByEmail('nomail@example.com'), undefined);
  });

  it('lists users in pages, searched by email or name, or by a client they gave access to', async () => {
    const names = ['Search Alpha', 'Search Beta', 'Search Gamma'];
    const ids: string[] = [];
    for (const name of names) {
      ctx.clock.advance(1);
      ids.push((await create({ email: `${name.split(' ')[1]?.toLowerCase()}@search.example`, name })).user.user_id);
    }
    const page1 = (await (await admin(ctx, writer, 'GET', '/users?q=search&limit=2')).json()) as { data: UserBody[]; next_cursor: string | null };
    assert.deepEqual(
      page1.data.map((u) => u.user_id),
      ids.slice(0, 2),
    );
    assert.ok(page1.next_cursor);
    const page2 = (await (await admin(ctx, writer, 'GET', `/users?q=search&limit=2&cursor=${page1.next_cursor}`)).json()) as {
      data: UserBody[];
      next_cursor: string | null;
    };
    assert.deepEqual(
      page2.data.map((u) => u.user_id),
      ids.slice(2),
    );
    assert.equal(page2.next_cursor, null);
    const byEmail = (await (await admin(ctx, writer, 'GET', '/users?q=BETA%40search')).json()) as { data: UserBody[] };
    assert.deepEqual(
      byEmail.data.map((u) => u.user_id),
      [ids[1]],
    );
    const { client } = await createTestClient(ctx);
    await ctx.scope.repos.grants.create({ clientId: client.id, userId: ids[2] as string, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
    const byClient = (await (await admin(ctx, writer, 'GET', `/users?client_id=${client.id}`)).json()) as { data: UserBody[] };
    assert.deepEqual(
      byClient.data.map((u) => u.user_id),
      [ids[2]],
    );
    assert.equal((await admin(ctx, writer, 'GET', '/users?cursor=bogus')).status, 400);
  });

  it('changes a profile with If-Match: a stale revision gets 412; a new email is unverified; a taken one 409', async () => {
    const { user } = await create({ email: 'edit@example.com', name: 'Before', email_verified: true });
    const path = `/users/${user.user_id}`;
    const read = await admin(ctx, writer, 'GET', path);
    assert.equal(read.headers.get('etag'), '"1"');
    const first = await admin(ctx, writer, 'PATCH', path, { name: 'After', given_name: 'Aft' }, { 'if-match': '"1"' });
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(first.headers.get('etag'), '"2"');
    const stale = await admin(ctx, writer, 'PATCH', path, { name: 'Lost' }, { 'if-match': '"1"' });
    assert.equal(stale.status, 412);
    assert.equal(((await (await admin(ctx, writer, 'GET', path)).json()) as UserBody).name, 'After');
    const moved = (await (await admin(ctx, writer, 'PATCH', path, { email: 'moved@example.com' })).json()) as UserBody;
    assert.equal(moved.email, 'moved@example.com');
    assert.equal(moved.email_verified, false, 'the new address is not proven');
    const taken = await admin(ctx, writer, 'PATCH', path, { email: 'lin@example.com' });
    assert.equal(taken.status, 409);
    const bad = await admin(ctx, writer, 'PATCH', path, { name: 'line\nbreak' });
    assert.equal(bad.status, 400);
    assert.equal((await admin(ctx, writer, 'PATCH', path, { password_hash: 'x' })).status, 400);
    assert.equal((await admin(ctx, writer, 'PATCH', path, {})).status, 400);
    assert.equal((await admin(ctx, writer, 'PATCH', '/users/nobody', { name: 'x' })).status, 404);
    const cleared = (await (await admin(ctx, writer, 'PATCH', path, { given_name: null })).json()) as { given_name: string | null };
    assert.equal(cleared.given_name, null);
    const [event] = await ctx.scope.repos.events.list({ type: 'user.updated', userId: user.user_id });
    assert.equal(event?.actor, `user:${writerId}`);
  });

  it('disabling ends every session and grant at once; enabling lets them sign in again', async () => {
    const person = await createTestUser(ctx);
    const { session } = await ctx.scope.repos.sessions.create(person.id, 3600);
    const { client } = await createTestClient(ctx);
    const grant = await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: person.id, scope: 'openid offline_access', sid: session.sid, authTime: null, resource: null },
      3600,
    );
    const res = await admin(ctx, writer, 'PATCH', `/users/${person.id}`, { disabled: true });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as UserBody).disabled, true);
    assert.equal(await ctx.scope.repos.sessions.findBySid(session.sid), undefined);
    assert.equal(await ctx.scope.repos.grants.findActive(grant.id), undefined, 'even an offline grant ends');
    const enabled = (await (await admin(ctx, writer, 'PATCH', `/users/${person.id}`, { disabled: false })).json()) as UserBody;
    assert.equal(enabled.disabled, false);
  });

  it('sets a password: argon2id, every session ends; a short one is refused naming the field', async () => {
    const person = await createTestUser(ctx);
    const { session } = await ctx.scope.repos.sessions.create(person.id, 3600);
    const res = await admin(ctx, writer, 'PUT', `/users/${person.id}/password`, { password: 'a brand new passphrase' });
    assert.equal(res.status, 204, await res.clone().text());
    const stored = await ctx.scope.repos.users.findById(person.id);
    assert.ok(await verifyPassword(stored?.passwordHash ?? null, 'a brand new passphrase'));
    assert.equal(await ctx.scope.repos.sessions.findBySid(session.sid), undefined);
    const short = await admin(ctx, writer, 'PUT', `/users/${person.id}/password`, { password: 'x' });
    assert.equal(short.status, 400);
    assert.deepEqual(
      ((await short.json()) as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['password'],
    );
  });

  it('lists and ends sessions, one or all; lists and revokes grants; another user’s are not found', async () => {
    const person = await createTestUser(ctx);
    const other = await createTestUser(ctx);
    const one = (await ctx.scope.repos.sessions.create(person.id, 3600)).session;
    const two = (await ctx.scope.repos.sessions.create(person.id, 3600)).session;
    const three = (await ctx.scope.repos.sessions.create(person.id, 3600)).session;
    const theirs = (await ctx.scope.repos.sessions.create(other.id, 3600)).session;
    const listed = (await (await admin(ctx, writer, 'GET', `/users/${person.id}/sessions`)).json()) as { data: { session_id: string }[] };
    assert.deepEqual(listed.data.map((s) => s.session_id).sort(), [one.sid, two.sid, three.sid].sort());
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${person.id}/sessions/${theirs.sid}`)).status, 404);
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${person.id}/sessions/${one.sid}`)).status, 204);
    assert.equal(await ctx.scope.repos.sessions.findBySid(one.sid), undefined);
    assert.ok(await ctx.scope.repos.sessions.findBySid(two.sid));
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${person.id}/sessions`)).status, 204);
    assert.deepEqual(await ctx.scope.repos.sessions.listForUser(person.id), []);
    assert.ok(await ctx.scope.repos.sessions.findBySid(theirs.sid), 'the other user stays signed in');
    const [ended] = await ctx.scope.repos.events.list({ type: 'session.ended', userId: person.id });
    assert.equal(ended?.actor, `user:${writerId}`);
    assert.deepEqual(ended?.payload, { reason: 'ended_by_admin' });

    const { client } = await createTestClient(ctx, { name: 'Granted app' });
    const grant = await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: person.id, scope: 'openid', sid: null, authTime: null, resource: null },
      3600,
    );
    const otherGrant = await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: other.id, scope: 'openid', sid: null, authTime: null, resource: null },
      3600,
    );
    const grants = (await (await admin(ctx, writer, 'GET', `/users/${person.id}/grants`)).json()) as { data: { grant_id: string; client_name: string }[] };
    assert.deepEqual(
      grants.data.map((g) => [g.grant_id, g.client_name]),
      [[grant.id, 'Granted app']],
    );
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${person.id}/grants/${otherGrant.id}`)).status, 404);
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${person.id}/grants/${grant.id}`)).status, 204);
    assert.equal(await ctx.scope.repos.grants.findActive(grant.id), undefined);
    assert.ok(await ctx.scope.repos.grants.findActive(otherGrant.id));
    const [revoked] = await ctx.scope.repos.events.list({ type: 'grant.revoked', userId: person.id });
    assert.deepEqual(revoked?.payload, { grant_id: grant.id, reason: 'revoked_by_admin' });
    assert.equal(revoked?.actor, `user:${writerId}`);
  });

  it('deletes a user with If-Match; the last owner cannot be deleted; an admin cannot change an owner', async () => {
    const { user } = await create({ email: 'doomed@example.com' });
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${user.user_id}`, undefined, { 'if-match': '"9"' })).status, 412);
    assert.equal((await admin(ctx, writer, 'DELETE', `/users/${user.user_id}`, undefined, { 'if-match': '"1"' })).status, 204);
    assert.equal(await ctx.scope.repos.users.findById(user.user_id), undefined);
    assert.equal((await admin(ctx, writer, 'GET', `/users/${user.user_id}`)).status, 404);
    const [event] = await ctx.scope.repos.events.list({ type: 'user.deleted', userId: user.user_id });
    assert.equal(event?.actor, `user:${writerId}`);

    const owner = await personToken(ctx, 'owner');
    for (const [method, route, body] of [
      ['PATCH', `/users/${owner.userId}`, { email: 'mine@example.com' }],
      ['PUT', `/users/${owner.userId}/password`, { password: 'taken over password' }],
      ['DELETE', `/users/${owner.userId}`, undefined],
    ] as const) {
      assert.equal((await admin(ctx, writer, method, route, body)).status, 403, `${method} ${route}`);
    }
    const last = await admin(ctx, owner.token, 'DELETE', `/users/${owner.userId}`);
    assert.equal(last.status, 409);
    assert.ok(await ctx.scope.repos.users.findById(owner.userId));
  });
});

describe('Admin API: users invited by mail', () => {
  let mail: MailTestContext;
  let writer: string;
  before(async () => {
    mail = await mailTestContext();
    writer = (await personToken(mail.ctx, 'admin')).token;
  });
  after(() => mail.close());

  it('invites: a mail with a link valid for days lets the person choose a password; sending again mails a new link', async () => {
    const { ctx, sink } = mail;
    const res = await admin(ctx, writer, 'POST', '/users', { email: 'invitee@example.com', name: 'Invitee', invite: true });
    assert.equal(res.status, 201, await res.clone().text());
    const user = (await res.json()) as UserBody;
    assert.equal(user.has_password, false);
    const [sent] = await mailsTo(ctx, sink, 'invitee@example.com');
    assert.ok(sent);
    assert.match(sent.subject, /invited/);
    assert.match(sent.text, /within 7 days/);
    const link = linkIn(sent);
    const [invited] = await ctx.scope.repos.events.list({ type: 'user.invited', userId: user.user_id });
    assert.ok(invited?.actor?.startsWith('user:'));

    // Far past a reset link's half hour, within the week.
    ctx.clock.advance(3 * 24 * 3600);
    const again = await admin(ctx, (await personToken(ctx, 'admin')).token, 'POST', `/users/${user.user_id}/invitation`);
    assert.equal(again.status, 202, await again.clone().text());
    assert.deepEqual(await again.json(), { recipient: 'invitee@example.com', expires_in: 7 * 24 * 3600 });
    assert.equal((await mailsTo(ctx, sink, 'invitee@example.com')).length, 2);

    const done = await setNewPassword(browserAt(ctx, '203.0.113.9'), link, 'my own chosen password');
    assert.match(await done.text(), new RegExp(CHANGED_TEXT.replace('.', '\\.')));
    const stored = await ctx.scope.repos.users.findById(user.user_id);
    assert.ok(await verifyPassword(stored?.passwordHash ?? null, 'my own chosen password'));
    assert.equal(stored?.emailVerified, true, 'the link proved the address');
  });

  it('writes the invitation in the language asked for, first and again', async () => {
    const { ctx, sink } = mail;
    // The test above moved the clock days on: a fresh token.
    const writer = (await personToken(ctx, 'admin')).token;
    const res = await admin(ctx, writer, 'POST', '/users', { email: 'eingeladen@example.com', invite: true, locale: 'de' });
    assert.equal(res.status, 201, await res.clone().text());
    const user = (await res.json()) as { user_id: string };
    const [first] = await mailsTo(ctx, sink, 'eingeladen@example.com');
    assert.match(first?.subject ?? '', /Ihre Einladung/);
    const again = await admin(ctx, writer, 'POST', `/users/${user.user_id}/invitation?locale=fr`);
    assert.equal(again.status, 202);
    const mails = await mailsTo(ctx, sink, 'eingeladen@example.com');
    assert.match(mails[1]?.subject ?? '', /Vous êtes invité/);
    for (const bad of ['?locale=xx', '?locale=de&locale=fr']) {
      assert.equal((await admin(ctx, writer, 'POST', `/users/${user.user_id}/invitation${bad}`)).status, 400, bad);
    }
    assert.equal((await admin(ctx, writer, 'POST', '/users', { email: 'x@example.com', invite: true, locale: 'klingon' })).status, 400);
  });
});

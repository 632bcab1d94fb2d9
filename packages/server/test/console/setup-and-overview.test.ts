import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueSetupLink } from '../../src/console/setup.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { consoleSignIn, createOperator } from '../helpers/console.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { ISSUER, at } from '../helpers/prefix.js';

const OWNER = { email: 'first-owner@example.com', name: 'Olga Owner', password: 'a good long password', confirm: 'a good long password' };

function post(ctx: TestContext, fields: Record<string, string>): Promise<Response> {
  return ctx.app.request(at('/admin/setup'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

const tokenOf = (link: string): string => new URL(link).searchParams.get('token') ?? '';

describe('console: the one-time setup link', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('shows the form for a live link, and a readable page for none or a wrong one', async () => {
    const link = await issueSetupLink(ctx.scope);
    assert.ok(link?.startsWith(`${ISSUER}/admin/setup?token=`));
    const url = new URL(link ?? '');
    const form = await ctx.app.request(url.pathname + url.search);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /Create the first owner/);
    for (const query of ['', '?token=nope', '?token=%3Cscript%3E', `?token=${'x'.repeat(500)}`]) {
      const res = await ctx.app.request(at(`/admin/setup${query}`));
      assert.equal(res.status, 410, query);
      assert.match(await res.text(), /expired or was used/);
    }
  });

  it('refuses bad input with the link still usable, then makes the owner once', async () => {
    const token = tokenOf((await issueSetupLink(ctx.scope)) ?? '');
    for (const [fields, message] of [
      [{ ...OWNER, confirm: 'something else entirely' }, /not the same/],
      [{ ...OWNER, password: 'short', confirm: 'short' }, /at least 8/],
      [{ ...OWNER, email: 'not an email' }, /Enter an email address/],
    ] as const) {
      const res = await post(ctx, { token, ...fields });
      assert.equal(res.status, 400);
      assert.match(await res.text(), message);
    }
    const done = await post(ctx, { token, ...OWNER });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), at('/admin/signin?ready=1'));
    const owner = await ctx.scope.repos.users.findByEmail(OWNER.email);
    assert.ok(owner);
    assert.equal(await ctx.scope.repos.adminRoles.find(owner.id), 'owner');
    const [event] = await ctx.scope.repos.events.list({ type: 'admin.setup_completed' });
    assert.equal(event?.actor, `user:${owner.id}`);
    const again = await post(ctx, { token, ...OWNER, email: 'second@example.com' });
    assert.equal(again.status, 410);
    assert.match(await again.text(), /already has an owner/);
    assert.equal(await ctx.scope.repos.users.findByEmail('second@example.com'), undefined);
    assert.equal(await issueSetupLink(ctx.scope), undefined, 'no link while an owner exists');
  });
});

describe('console: setup links expire and race', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('a link works for an hour and not after', async () => {
    const token = tokenOf((await issueSetupLink(ctx.scope)) ?? '');
    ctx.clock.advance(3601);
    const res = await post(ctx, { token, ...OWNER });
    assert.equal(res.status, 410);
    assert.equal(await ctx.scope.repos.users.findByEmail(OWNER.email), undefined);
  });

  it('of two posts of one link at once, one makes an owner', async () => {
    const token = tokenOf((await issueSetupLink(ctx.scope)) ?? '');
    const answers = await Promise.all([post(ctx, { token, ...OWNER }), post(ctx, { token, ...OWNER, email: 'rival@example.com' })]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [303, 410]);
    assert.equal(await ctx.scope.repos.adminRoles.ownerCount(), 1);
  });
});

describe('console: the overview', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('counts sign-ins and failures per day, active users, and lists recent security events', async () => {
    const shopper = await createTestUser(ctx, 'shopper@example.com');
    // A wrong password at the hosted sign-in: a failure event with the address.
    const browser = inProcessBrowser(ctx);
    const operator = await createOperator(ctx, 'viewer');
    await consoleSignIn(ctx, shopper.email, { browser, password: 'not the password' });
    const { page } = await consoleSignIn(ctx, operator.email);
    assert.equal(page.status, 200);
    assert.match(page.html, /<svg[^>]*role="img"/);
    assert.match(page.html, /sign_in\.failed|Failed sign-in|wrong_password/);

    const { token } = await personToken(ctx, 'viewer');
    const res = await admin(ctx, token, 'GET', '/stats?days=3');
    assert.equal(res.status, 200);
    const stats = (await res.json()) as {
      days: { date: string; sign_ins: number; sign_in_failures: number }[];
      active_users: number;
      users: number;
      clients: number;
      recent_security_events: { type: string; user_id: string | null }[];
    };
    assert.equal(stats.days.length, 3);
    const today = stats.days[2];
    assert.equal(today?.date, new Date(ctx.clock() * 1000).toISOString().slice(0, 10));
    assert.ok((today?.sign_ins ?? 0) >= 2, 'the operator and the token helper signed in');
    assert.equal(today?.sign_in_failures, 1);
    assert.ok(stats.active_users >= 2);
    assert.ok(stats.users >= 3);
    assert.equal(stats.clients, 1, 'the token helper’s client; the console’s own is not counted');
    assert.ok(stats.recent_security_events.some((e) => e.type === 'sign_in.failed' && e.user_id === shopper.id));
    for (const bad of ['?days=0', '?days=abc', '?days=400', '?other=1']) {
      assert.equal((await admin(ctx, token, 'GET', `/stats${bad}`)).status, 400, bad);
    }
  });
});

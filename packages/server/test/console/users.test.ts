import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../src/auth/password.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER, at } from '../helpers/prefix.js';

describe('console: users', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let operatorId: string;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    operatorId = operator.id;
    ({ browser } = await consoleSignIn(ctx, operator.email, { start: '/admin/users' }));
  });
  after(() => ctx.close());

  const open = (path: string): Promise<Page> => consoleGet(browser, path);

  /** What a browser sends of the profile form: every field, as the page shows it, `changes` over them. */
  function profile(user: { email: string; name?: string | null }, changes: Record<string, string> = {}): Record<string, string> {
    return { email: user.email, name: user.name ?? '', given_name: '', family_name: '', preferred_username: '', ...changes };
  }

  it('asks the invitation’s language, each by its own name, the console’s own chosen', async () => {
    const page = await consoleGet(browser, '/admin/users/new', { headers: { 'accept-language': 'fr' } });
    for (const name of ['English', 'Deutsch', 'français', 'español', 'العربية']) assert.ok(page.html.includes(`>${name}<`), name);
    assert.match(page.html, /<option value="fr" lang="fr" selected="">/);
  });

  it('lists users, searches by email or name, and pages with "More" keeping the search', async () => {
    const made: string[] = [];
    for (let i = 0; i < 52; i++) {
      ctx.clock.advance(1);
      made.push(
        (await ctx.scope.repos.users.create({ email: `listed-${String(i).padStart(2, '0')}@paging.example`, name: `Paged ${i}`, passwordHash: null })).email,
      );
    }
    const list = await open('/admin/users');
    assert.equal(list.status, 200);
    assert.match(list.html, /<h1 id="page-title">Users<\/h1>/);
    const searched = await open('/admin/users?q=paging.example');
    assert.ok(searched.html.includes(made[0] as string));
    assert.ok(!searched.html.includes(made[51] as string), 'a page holds 50');
    const more = /href="([^"]*cursor=[^"]*)"/.exec(searched.html)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(more, 'a More link');
    assert.match(more, /q=paging\.example/);
    const next = await open(more.slice(at('').length));
    assert.ok(next.html.includes(made[51] as string));
    assert.ok(!next.html.includes(made[0] as string));
    const byName = await open('/admin/users?q=Paged%2051');
    assert.ok(byName.html.includes(made[51] as string));
    const none = await open('/admin/users?q=nobody-at-all');
    assert.match(none.html, /No user matches/);
  });

  it('adds a user with a password, and refuses a short one keeping what was typed', async () => {
    const form = await open('/admin/users/new');
    assert.match(form.html, /name="how" value="invite"[^>]*checked/);
    const refused = await consolePost(browser, form, '/admin/users/new', { email: 'typed@example.com', name: 'Typed', how: 'password', password: 'short' });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /typed@example\.com/);
    assert.match(refused.html, /aria-invalid="true"/);
    const done = await consolePost(browser, form, '/admin/users/new', {
      email: 'typed@example.com',
      name: 'Typed',
      how: 'password',
      password: 'a long enough password',
    });
    assert.equal(done.status, 200, done.html);
    assert.match(done.html, /The user was added/);
    const user = await ctx.scope.repos.users.findByEmail('typed@example.com');
    assert.ok(await verifyPassword(user?.passwordHash ?? null, 'a long enough password'));
    assert.equal(new URL(done.url).pathname, at(`/admin/users/${user?.id}`));
    // The same form (its idempotency key) posted again makes no second user, nor an error.
    const again = await consolePost(browser, form, '/admin/users/new', {
      email: 'typed@example.com',
      name: 'Typed',
      how: 'password',
      password: 'a long enough password',
    });
    assert.equal(new URL(again.url).pathname, at(`/admin/users/${user?.id}`));
  });

  it('an invitation needs mail: without it the form says why and adds nobody', async () => {
    const form = await open('/admin/users/new');
    const page = await consolePost(browser, form, '/admin/users/new', { email: 'invitee@example.com', how: 'invite' });
    assert.equal(page.status, 400);
    assert.match(page.html, /mail is not configured/);
    assert.equal(await ctx.scope.repos.users.findByEmail('invitee@example.com'), undefined);
  });

  it('edits the profile; an edit over a stale version is refused and keeps the newer one', async () => {
    const user = await createTestUser(ctx, 'editable@example.com');
    const detail = await open(`/admin/users/${user.id}`);
    assert.match(detail.html, /name="etag" value="&quot;1&quot;"/);
    const saved = await consolePost(browser, detail, `/admin/users/${user.id}`, profile(user, { name: 'Edited Name', given_name: 'Edited' }));
    assert.equal(saved.status, 200);
    assert.match(saved.html, /Saved\./);
    assert.equal((await ctx.scope.repos.users.findById(user.id))?.givenName, 'Edited');
    const stale = await consolePost(browser, detail, `/admin/users/${user.id}`, profile(user, { name: 'Old Tab' }));
    assert.equal(stale.status, 409);
    assert.match(stale.html, /Someone changed this user/);
    assert.match(stale.html, /Old Tab/, 'the form keeps what was typed');
    assert.equal((await ctx.scope.repos.users.findById(user.id))?.name, 'Edited Name');
    const bad = await consolePost(browser, saved, `/admin/users/${user.id}`, profile(user, { email: 'not an email' }));
    assert.equal(bad.status, 400);
    assert.match(bad.html, /aria-invalid="true"/);
  });

  it('disables (signing out everywhere) and enables; sets a password; ends sessions one and all; revokes a grant', async () => {
    const user = await createTestUser(ctx);
    const { client } = await createTestClient(ctx, { name: 'Shown App' });
    const one = (await ctx.scope.repos.sessions.create(user.id, 3600)).session;
    const two = (await ctx.scope.repos.sessions.create(user.id, 3600)).session;
    const grant = await ctx.scope.repos.grants.create(
      { clientId: client.id, userId: user.id, scope: 'openid email', sid: null, authTime: null, resource: null },
      3600,
    );
    let page = await open(`/admin/users/${user.id}`);
    assert.match(page.html, /Shown App/);
    assert.match(page.html, /openid email/);

    page = await consolePost(browser, page, `/admin/users/${user.id}/grants/revoke`, {});
    assert.match(page.html, /Access revoked/);
    assert.equal(await ctx.scope.repos.grants.findActive(grant.id), undefined);

    page = await consolePost(browser, page, `/admin/users/${user.id}/sessions/end`, {});
    assert.match(page.html, /Signed out\./);
    const left = await ctx.scope.repos.sessions.listForUser(user.id);
    assert.equal(left.length, 1, 'one session ended');
    page = await consolePost(browser, page, `/admin/users/${user.id}/sessions/end`, { session_id: '' });
    assert.deepEqual(await ctx.scope.repos.sessions.listForUser(user.id), []);
    assert.ok([one.sid, two.sid].includes(left[0]?.sid ?? ''));

    page = await consolePost(browser, page, `/admin/users/${user.id}/password`, { password: 'set by the operator' });
    assert.match(page.html, /The password was set/);
    assert.ok(await verifyPassword((await ctx.scope.repos.users.findById(user.id))?.passwordHash ?? null, 'set by the operator'));
    const short = await consolePost(browser, page, `/admin/users/${user.id}/password`, { password: 'x' });
    assert.equal(short.status, 400);

    await ctx.scope.repos.sessions.create(user.id, 3600);
    page = await consolePost(browser, page, `/admin/users/${user.id}/status`, {});
    assert.match(page.html, /disabled and signed out everywhere/);
    assert.equal((await ctx.scope.repos.users.findById(user.id))?.disabled, true);
    assert.deepEqual(await ctx.scope.repos.sessions.listForUser(user.id), []);
    page = await consolePost(browser, page, `/admin/users/${user.id}/status`, {});
    assert.match(page.html, /can sign in again/);
    assert.equal((await ctx.scope.repos.users.findById(user.id))?.disabled, false);
    const [event] = await ctx.scope.repos.events.list({ type: 'user.enabled', userId: user.id });
    assert.equal(event?.actor, `user:${operatorId}`);
    const shown = await open(`/admin/users/${user.id}`);
    assert.match(shown.html, /Recent activity/);
    assert.match(shown.html, /<code dir="ltr">user\.enabled<\/code>/);
    assert.ok(shown.html.includes(`user:${operatorId}`), 'the actor is shown');
  });

  it('deletes only with the box ticked', async () => {
    const user = await createTestUser(ctx);
    const detail = await open(`/admin/users/${user.id}`);
    const refused = await consolePost(browser, detail, `/admin/users/${user.id}/delete`, {});
    assert.equal(refused.status, 400);
    assert.ok(await ctx.scope.repos.users.findById(user.id));
    const done = await consolePost(browser, detail, `/admin/users/${user.id}/delete`, { confirm: '1' });
    assert.equal(new URL(done.url).pathname, at('/admin/users'));
    assert.match(done.html, /The user was deleted/);
    assert.equal(await ctx.scope.repos.users.findById(user.id), undefined);
    assert.equal((await open(`/admin/users/${user.id}`)).status, 404);
  });

  it('refuses a form without its CSRF token; a viewer sees users but no forms that change them', async () => {
    const user = await createTestUser(ctx);
    const res = await browser.request(`${ISSUER}/admin/users/${user.id}/delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ confirm: '1' }).toString(),
    });
    assert.equal(res.status, 403);
    assert.ok(await ctx.scope.repos.users.findById(user.id));

    const viewer = await createOperator(ctx, 'viewer');
    const { browser: viewing } = await consoleSignIn(ctx, viewer.email, { start: `/admin/users/${user.id}` });
    const { page } = await viewing.navigate(`${ISSUER}/admin/users/${user.id}`, ISSUER);
    assert.equal(page?.status, 200);
    assert.ok(page?.html.includes(user.email));
    assert.ok(!page?.html.includes('/delete"'), 'no delete form');
    assert.match(page?.html ?? '', /<fieldset disabled/);
  });

  it('speaks the operator’s language (German, and Arabic right to left)', async () => {
    const de = await browser.navigate(`${ISSUER}/admin/users?ui_locales=de`, ISSUER, { headers: { 'accept-language': 'de' } });
    assert.match(de.page?.html ?? '', /Benutzer hinzufügen/);
    const ar = await browser.navigate(`${ISSUER}/admin/users`, ISSUER, { headers: { 'accept-language': 'ar' } });
    assert.match(ar.page?.html ?? '', /dir="rtl"/);
    assert.match(ar.page?.html ?? '', /إضافة مستخدم/);
  });
});

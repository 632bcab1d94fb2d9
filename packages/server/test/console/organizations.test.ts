import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';

describe('console: organizations', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let operatorId: string;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    operatorId = operator.id;
    ({ browser } = await consoleSignIn(ctx, operator.email, { start: '/admin/organizations' }));
  });
  after(() => ctx.close());

  const open = (path: string, b: HttpBrowser = browser): Promise<Page> => consoleGet(b, path);

  it('creates an organization from the list and lands on it; a bad id is refused naming the field', async () => {
    const list = await open('/admin/organizations');
    assert.equal(list.status, 200);
    assert.match(list.html, /No organizations yet/);
    const bad = await consolePost(browser, list, '/admin/organizations/new', { name: 'Acme', id: 'Not OK' });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /href="#id">id<\/a>/);
    assert.match(bad.html, /value="Acme"/, 'keeps what was typed');
    const page = await consolePost(browser, list, '/admin/organizations/new', { name: 'Acme Corp', id: 'acme' });
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /<h1 id="page-title">Acme Corp<\/h1>/);
    const [event] = await ctx.scope.repos.events.list({ type: 'organization.created' });
    assert.equal(event?.actor, `user:${operatorId}`);
  });

  it('searches and pages the list', async () => {
    for (let i = 0; i < 3; i++) await ctx.scope.repos.organizations.create({ id: `team-${i}`, name: `Team ${i}` });
    const found = await open('/admin/organizations?q=TEAM-1');
    assert.match(found.html, /Team 1/);
    assert.doesNotMatch(found.html, /Team 2|Acme Corp/);
    const none = await open('/admin/organizations?q=zzz');
    assert.match(none.html, /No organization matches/);
  });

  it('edits settings with the ETag: a stale form says so and changes nothing', async () => {
    const page = await open('/admin/organizations/acme');
    const saved = await consolePost(browser, page, '/acme/settings', { name: 'Acme Inc', suspended: '1' });
    assert.equal(saved.status, 200, saved.html);
    assert.match(saved.html, /Saved\./);
    const now = await ctx.scope.repos.organizations.find('acme');
    assert.deepEqual([now?.name, now?.suspended], ['Acme Inc', true]);
    const stale = await consolePost(browser, page, '/acme/settings', { name: 'Overwritten' });
    assert.equal(stale.status, 409);
    assert.equal((await ctx.scope.repos.organizations.find('acme'))?.name, 'Acme Inc');
  });

  it('adds, edits and deletes roles; a wildcard permission is refused', async () => {
    let page = await open('/admin/organizations/acme');
    page = await consolePost(browser, page, '/acme/roles/add', { name: 'billing', permissions: 'read:billing\nwrite:billing\n' });
    assert.equal(page.status, 200, page.html);
    const wildcard = await consolePost(browser, page, '/acme/roles/add', { name: 'all', permissions: '*:*' });
    assert.equal(wildcard.status, 400);
    assert.match(wildcard.html, /href="#permissions">permissions<\/a>/);
    page = await consolePost(browser, page, '/acme/roles/billing/permissions', { permissions: 'read:billing' });
    assert.deepEqual((await ctx.scope.repos.organizationRoles.find('acme', 'billing'))?.permissions, ['read:billing']);
    page = await consolePost(browser, page, '/acme/roles/add', { name: 'viewer', permissions: '' });
    page = await consolePost(browser, page, '/acme/roles/viewer/delete', {});
    assert.equal(page.status, 200);
    assert.deepEqual(
      (await ctx.scope.repos.organizationRoles.list('acme')).map((r) => r.name),
      ['billing'],
    );
  });

  it('adds members by email or id with roles, changes their roles, and removes them', async () => {
    const ada = await createTestUser(ctx, 'ada.console@example.com');
    const bob = await createTestUser(ctx, 'bob.console@example.com');
    let page = await open('/admin/organizations/acme');
    page = await consolePost(browser, page, '/acme/members/add', { user: ada.email, roles: 'billing' });
    assert.equal(page.status, 200, page.html);
    page = await consolePost(browser, page, '/acme/members/add', { user: bob.id });
    assert.deepEqual(
      (await ctx.scope.repos.memberships.list('acme')).map((m) => [m.email, m.roles]),
      [
        [ada.email, ['billing']],
        [bob.email, []],
      ],
    );
    const nobody = await consolePost(browser, page, '/acme/members/add', { user: 'nobody@example.com' });
    assert.equal(nobody.status, 400);
    assert.match(nobody.html, /no user with id or email/);
    page = await consolePost(browser, page, `/acme/members/${bob.id}/roles`, { roles: 'billing' });
    assert.deepEqual((await ctx.scope.repos.memberships.find('acme', bob.id))?.roles, ['billing']);
    page = await consolePost(browser, page, `/acme/members/${ada.id}/remove`, {});
    assert.equal(await ctx.scope.repos.memberships.find('acme', ada.id), undefined);
  });

  it('deletes only with the confirmation', async () => {
    const page = await open('/admin/organizations/team-0');
    const unconfirmed = await consolePost(browser, page, '/team-0/delete', {});
    assert.equal(unconfirmed.status, 400);
    assert.ok(await ctx.scope.repos.organizations.find('team-0'));
    const done = await consolePost(browser, page, '/team-0/delete', { confirm: '1' });
    assert.equal(done.status, 200);
    assert.match(done.html, /The organization was deleted/);
    assert.equal(await ctx.scope.repos.organizations.find('team-0'), undefined);
  });

  it('shows a viewer the organization without forms, and refuses a POST without the CSRF token', async () => {
    const viewer = await createOperator(ctx, 'viewer');
    const { browser: theirs } = await consoleSignIn(ctx, viewer.email, { start: '/admin/organizations' });
    const page = await open('/admin/organizations/acme', theirs);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /roles\/add|members\/add|\/delete"/);
    const mine = await open('/admin/organizations/team-1');
    const forged = await consolePost(browser, mine, '/team-1/delete', { confirm: '1', csrf: 'forged' });
    assert.equal(forged.status, 403);
    assert.ok(await ctx.scope.repos.organizations.find('team-1'));
  });

  it('answers an unknown organization with a page, not a 500', async () => {
    const page = await open('/admin/organizations/no-such-org');
    assert.equal(page.status, 404);
  });

  it('shows members 100 at a time, with "More" to the next', async () => {
    await ctx.scope.repos.organizations.create({ id: 'crowd', name: 'Crowd' });
    for (let i = 0; i < 101; i++) {
      const user = await ctx.scope.repos.users.create({ email: `m${String(i).padStart(3, '0')}@crowd.example`, passwordHash: null });
      await ctx.scope.repos.memberships.add('crowd', user.id, []);
    }
    const first = await open('/admin/organizations/crowd');
    assert.ok(first.html.includes('m099@crowd.example'));
    assert.ok(!first.html.includes('m100@crowd.example'));
    const more = /<a href="([^"]+)" id="more-members">/.exec(first.html)?.[1];
    assert.ok(more, 'a link to the next members');
    const next = await open(more.replace(/^.*?\/admin/, '/admin').replace(/&amp;/g, '&'));
    assert.ok(next.html.includes('m100@crowd.example'));
    assert.ok(!next.html.includes('m099@crowd.example'));
    assert.doesNotMatch(next.html, /id="more-members"/);
  });
});

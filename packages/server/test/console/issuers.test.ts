import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { at } from '../helpers/prefix.js';

describe('console: issuers (system owners)', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let overview: Page;
  before(async () => {
    ctx = await createTestContext();
    const owner = await createOperator(ctx, 'owner');
    ({ browser, page: overview } = await consoleSignIn(ctx, owner.email));
  });
  after(() => ctx.close());

  const open = (path: string, b: HttpBrowser = browser): Promise<Page> => consoleGet(b, path);

  it('is in the navigation of a default-issuer owner, and lists the issuers', async () => {
    assert.ok(overview.html.includes(`href="${at('/admin/issuers')}"`));
    const page = await open('/admin/issuers');
    assert.equal(page.status, 200);
    assert.match(page.html, /<code dir="ltr">default<\/code>/);
  });

  it('creates an issuer, edits its name and domains, and shows a refusal on the form', async () => {
    const list = await open('/admin/issuers');
    const created = await consolePost(browser, list, '/admin/issuers/new', { id: 'acme', name: 'Acme', domains: 'login.acme.example\r\n' });
    assert.equal(created.status, 200);
    assert.equal(new URL(created.url).pathname, at('/admin/issuers/acme'));
    assert.match(created.html, /Issuer created/);
    assert.match(created.html, /https:\/\/login\.acme\.example/);
    assert.ok(await ctx.services.scopes.byId('acme'));

    const taken = await consolePost(browser, await open('/admin/issuers'), '/admin/issuers/new', { id: 'acme', name: 'Again', domains: '' });
    assert.equal(taken.status, 400);
    assert.match(taken.html, /id="id"[^>]*aria-invalid="true"/);

    const edited = await consolePost(browser, created, '/admin/issuers/acme', { name: 'Acme Corp', domains: 'id.acme.example' });
    assert.equal(edited.status, 200);
    assert.match(edited.html, /Issuer saved/);
    const record = await ctx.services.scopes.issuers.find('acme');
    assert.deepEqual([record?.name, record?.domains], ['Acme Corp', ['id.acme.example']]);
    const stale = await consolePost(browser, created, '/admin/issuers/acme', { name: 'Late', domains: '' });
    assert.equal(stale.status, 409, 'the form’s ETag is old');
  });

  it('deletes only with the confirmation, and with users only when told to delete them too', async () => {
    const scope = await ctx.services.scopes.byId('acme');
    assert.ok(scope);
    await scope.repos.users.create({ email: 'ada@acme.example', passwordHash: null });
    const page = await open('/admin/issuers/acme');
    const unconfirmed = await consolePost(browser, page, '/admin/issuers/acme/delete', {});
    assert.equal(unconfirmed.status, 400);
    const withUsers = await consolePost(browser, page, '/admin/issuers/acme/delete', { confirm: '1' });
    assert.equal(withUsers.status, 409);
    assert.match(withUsers.html, /still has users/);
    const done = await consolePost(browser, withUsers, '/admin/issuers/acme/delete', { confirm: '1', force: '1' });
    assert.equal(new URL(done.url).pathname, at('/admin/issuers'));
    assert.match(done.html, /never given to another issuer/);
    assert.equal(await ctx.services.scopes.issuers.find('acme'), undefined);
    assert.doesNotMatch((await open('/admin/issuers/default')).html, /issuers\/default\/delete/);
  });

  it('is not there for an admin, nor in their navigation', async () => {
    const adminOp = await createOperator(ctx, 'admin');
    const { browser: theirs, page } = await consoleSignIn(ctx, adminOp.email);
    assert.ok(!page.html.includes(`href="${at('/admin/issuers')}"`));
    assert.equal((await open('/admin/issuers', theirs)).status, 404);
  });
});

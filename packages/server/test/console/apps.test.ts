import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleClientId } from '../../src/console/client.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, basicAuth, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER, at } from '../helpers/prefix.js';

const REDIRECT = 'https://portal.example.com/api/auth/callback/gatehouse';

/** The text of the element with `id` (a value the credentials page shows). */
function shownValue(html: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}"[^>]*>(?:\\s*<code>)?([^<]*)<`).exec(html);
  return match?.[1]?.trim();
}

/** The token endpoint's answer to a code that does not exist: 400 with the right secret, 401 without. */
async function tokenStatus(ctx: TestContext, clientId: string, secret: string): Promise<number> {
  const res = await ctx.app.request(at('/oauth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(clientId, secret) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) }).toString(),
  });
  return res.status;
}

describe('console: applications', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let start: Page;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    ({ browser, page: start } = await consoleSignIn(ctx, operator.email, { start: '/admin/applications/new' }));
  });
  after(() => ctx.close());

  const open = (path: string): Promise<Page> => consoleGet(browser, path);

  async function createWebApp(name: string): Promise<{ id: string; secret: string; page: Page }> {
    const form = await open('/admin/applications/new?type=web');
    const page = await consolePost(browser, form, '/admin/applications/new', { client_name: name, redirect_uris: `${REDIRECT}\n` });
    assert.equal(page.status, 200, page.html);
    const id = shownValue(page.html, 'client-id');
    const secret = shownValue(page.html, 'client-secret');
    assert.ok(id && secret, 'the credentials page shows the client id and secret');
    return { id, secret, page };
  }

  it('the wizard offers the four types, and a web app ends on its credentials, the secret shown once', async () => {
    for (const type of ['web', 'spa', 'native', 'machine']) assert.match(start.html, new RegExp(`name="type" value="${type}"`));
    const { id, secret, page } = await createWebApp('Payments portal');
    assert.match(page.html, /shown this once/);
    assert.match(page.html, new RegExp(`GATEHOUSE_CLIENT_SECRET=${secret}`));
    assert.match(page.html, new RegExp(`GATEHOUSE_ISSUER=${ISSUER.replace(/[/.]/g, '\\$&')}`));
    assert.match(page.html, /openid-client/);
    assert.equal(await tokenStatus(ctx, id, secret), 400, 'the secret authenticates the client');
    assert.equal(await tokenStatus(ctx, id, `${secret}x`), 401);
    const again = await open(`/admin/applications/${id}/credentials`);
    assert.equal(again.status, 200);
    assert.doesNotMatch(again.html, new RegExp(secret));
    assert.match(again.html, /cannot be shown again/);
  });

  it('registers the APIs an app may get tokens for, one per line', async () => {
    const form = await open('/admin/applications/new?type=spa');
    const page = await consolePost(browser, form, '/admin/applications/new', {
      client_name: 'Dashboard',
      redirect_uris: 'https://dash.example.com/callback',
      resources: 'https://api.example.com\r\nhttps://reports.example.com/v1\r\n',
    });
    const id = shownValue(page.html, 'client-id') ?? '';
    const client = await ctx.scope.repos.clients.find(id);
    assert.deepEqual(client?.resources, ['https://api.example.com', 'https://reports.example.com/v1']);
    assert.equal(client?.isPublic, true);
  });

  it('a create retried with its idempotency key registers one app', async () => {
    const before = (await ctx.scope.repos.clients.page({ limit: 200 })).length;
    const form = await open('/admin/applications/new?type=machine');
    await consolePost(browser, form, '/admin/applications/new', { client_name: 'Nightly job', scope: 'payments' });
    await consolePost(browser, form, '/admin/applications/new', { client_name: 'Nightly job', scope: 'payments' });
    assert.equal((await ctx.scope.repos.clients.page({ limit: 200 })).length, before + 1);
  });

  it('refuses a redirect URI with a fragment, naming the field and keeping what was typed', async () => {
    const form = await open('/admin/applications/new?type=web');
    const page = await consolePost(browser, form, '/admin/applications/new', { client_name: 'Broken', redirect_uris: 'https://x.example/cb#frag' });
    assert.equal(page.status, 400);
    assert.match(page.html, /aria-invalid="true"/);
    assert.match(page.html, /https:\/\/x\.example\/cb#frag/);
  });

  it('edits the redirect URIs; an edit over a stale version is refused and keeps the newer one', async () => {
    const { id } = await createWebApp('Shop');
    const detail = await open(`/admin/applications/${id}`);
    // What a browser sends of the fields this test does not change.
    const scope = (await ctx.scope.repos.clients.find(id))?.scopes.join(' ') ?? '';
    const saved = await consolePost(browser, detail, `/admin/applications/${id}`, {
      client_name: 'Shop',
      scope,
      redirect_uris: `${REDIRECT}\nhttps://shop.example.com/callback`,
    });
    assert.ok(saved.html.includes('Saved.'), `not saved (${saved.status})`);
    assert.deepEqual((await ctx.scope.repos.clients.find(id))?.redirectUris, [REDIRECT, 'https://shop.example.com/callback']);
    // `detail` holds the ETag of before the save.
    const stale = await consolePost(browser, detail, `/admin/applications/${id}`, { client_name: 'Shop', scope, redirect_uris: 'https://old.example/cb' });
    assert.equal(stale.status, 409);
    assert.ok(stale.html.includes('Someone changed this application'));
    assert.deepEqual((await ctx.scope.repos.clients.find(id))?.redirectUris, [REDIRECT, 'https://shop.example.com/callback']);
  });

  it('asks for a second factor at every sign-in to an app when its box is ticked', async () => {
    const { id } = await createWebApp('Vault');
    const detail = await open(`/admin/applications/${id}`);
    assert.match(detail.html, /id="require_mfa"/);
    const scope = (await ctx.scope.repos.clients.find(id))?.scopes.join(' ') ?? '';
    const saved = await consolePost(browser, detail, `/admin/applications/${id}`, { client_name: 'Vault', scope, redirect_uris: REDIRECT, require_mfa: '1' });
    assert.ok(saved.html.includes('Saved.'), `not saved (${saved.status})`);
    assert.equal((await ctx.scope.repos.clients.find(id))?.requireMfa, true);
    assert.match((await open(`/admin/applications/${id}`)).html, /id="require_mfa"[^>]*checked/);
  });

  it('rotates a secret from the detail page: the new one shown once, the old one kept for the overlap', async () => {
    const { id, secret } = await createWebApp('Rotated');
    const detail = await open(`/admin/applications/${id}`);
    assert.match(detail.html, /name="overlap_seconds"/);
    const page = await consolePost(browser, detail, `/admin/applications/${id}/secret`, { overlap_seconds: '3600' });
    assert.equal(page.status, 200, page.html);
    assert.equal(new URL(page.url).pathname, at(`/admin/applications/${id}/credentials`));
    const fresh = shownValue(page.html, 'client-secret');
    assert.ok(fresh && fresh !== secret, 'the new secret is shown');
    assert.equal(await tokenStatus(ctx, id, fresh), 400, 'the new secret authenticates');
    assert.equal(await tokenStatus(ctx, id, secret), 400, 'the old one too, during the overlap');
    assert.equal((await ctx.scope.repos.clients.find(id))?.previousSecret?.expiresAt, ctx.clock() + 3600);
    const again = await open(`/admin/applications/${id}/credentials`);
    assert.doesNotMatch(again.html, new RegExp(fresh));
  });

  it('deletes only with the box ticked', async () => {
    const { id } = await createWebApp('Doomed');
    const detail = await open(`/admin/applications/${id}`);
    const refused = await consolePost(browser, detail, `/admin/applications/${id}/delete`, {});
    assert.equal(refused.status, 400);
    assert.match(refused.html, /<a href="#confirm-delete">Tick the box to confirm the deletion\.<\/a>/);
    assert.match(refused.html, /id="confirm-delete"[^>]*aria-invalid="true"/);
    assert.ok(await ctx.scope.repos.clients.find(id));
    const done = await consolePost(browser, detail, `/admin/applications/${id}/delete`, { confirm: '1' });
    assert.equal(new URL(done.url).pathname, at('/admin/applications'));
    assert.match(done.html, /was deleted/);
    assert.equal(await ctx.scope.repos.clients.find(id), undefined);
  });

  it('refuses a form without its CSRF token, and does not list the console’s own client', async () => {
    const detail = await open('/admin/applications/new?type=web');
    const res = await browser.request(`${ISSUER}/admin/applications/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ type: 'web', client_name: 'Forged', redirect_uris: REDIRECT }).toString(),
    });
    assert.equal(res.status, 403);
    assert.ok(detail.html.includes('name="csrf"'));
    const list = await open('/admin/applications');
    assert.doesNotMatch(list.html, new RegExp(consoleClientId(ctx.scope)));
    assert.doesNotMatch(list.html, /Forged/);
  });

  it('shows a viewer the settings without a way to change them, and refuses a viewer’s change', async () => {
    const viewer = await createOperator(ctx, 'viewer');
    const { id } = await createWebApp('Read only');
    const { browser: theirs } = await consoleSignIn(ctx, viewer.email);
    const { page } = await theirs.navigate(`${ISSUER}/admin/applications/${id}`, ISSUER);
    assert.ok(page);
    assert.match(page.html, /<fieldset disabled/);
    const refused = await consolePost(theirs, page, `/admin/applications/${id}`, { client_name: 'Renamed', redirect_uris: REDIRECT });
    assert.equal(refused.status, 403);
    assert.equal((await ctx.scope.repos.clients.find(id))?.name, 'Read only');
  });
});

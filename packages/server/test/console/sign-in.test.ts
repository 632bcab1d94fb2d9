import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleClientId } from '../../src/console/client.js';
import { consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { ISSUER, at } from '../helpers/prefix.js';

describe('console sign-in', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('sends a browser without a console session to the hosted sign-in, and back to the page it asked for', async () => {
    const operator = await createOperator(ctx, 'admin');
    const { page } = await consoleSignIn(ctx, operator.email, { start: '/admin/applications' });
    assert.equal(page.status, 200);
    assert.equal(new URL(page.url).pathname, at('/admin/applications'));
    assert.match(page.html, /<h1 id="page-title">Applications<\/h1>/);
    assert.match(page.html, new RegExp(operator.email));
  });

  it('records the sign-in with the operator as actor, and the console client is public, first-party and PKCE', async () => {
    const operator = await createOperator(ctx, 'viewer');
    await consoleSignIn(ctx, operator.email);
    const events = await ctx.scope.repos.events.list({ type: 'admin.signed_in', userId: operator.id });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.actor, `user:${operator.id}`);
    assert.deepEqual(events[0]?.payload, { role: 'viewer' });
    const client = await ctx.scope.repos.clients.find(consoleClientId(ctx.scope));
    assert.ok(client?.isPublic && client.firstParty);
    assert.deepEqual(client?.redirectUris, [`${ISSUER}/admin/callback`]);
  });

  it('refuses someone without an admin role, and revokes what the sign-in gave', async () => {
    const user = await createOperator(ctx, undefined);
    const { page } = await consoleSignIn(ctx, user.email);
    assert.equal(page.status, 403);
    assert.match(page.html, /Not an administrator/);
    assert.equal((await ctx.scope.repos.grants.listForUser(user.id)).length, 0);
  });

  it('refuses a callback with a wrong state, none, or another issuer’s iss', async () => {
    const browser = inProcessBrowser(ctx);
    const start = await browser.request(`${ISSUER}/admin/signin`);
    const authorize = new URL(start.headers.get('location') ?? '');
    for (const query of [
      `state=wrong&code=x&iss=${encodeURIComponent(ISSUER)}`,
      'code=x',
      `state=${authorize.searchParams.get('state')}&code=x&iss=https://evil.example`,
    ]) {
      const res = await browser.request(`${ISSUER}/admin/callback?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(await res.text(), /did not finish/);
    }
  });

  it('names the console on the hosted sign-in in the page’s language, not by its stored English name', async () => {
    const browser = inProcessBrowser(ctx);
    const { page } = await browser.navigate(`${ISSUER}/admin/signin?ui_locales=de`, ISSUER);
    assert.ok(page);
    assert.match(page.html, /um mit <strong>Admin-Konsole<\/strong> fortzufahren/);
    assert.doesNotMatch(page.html, /Gatehouse console/);
  });

  it('keeps return_to inside the console', async () => {
    const browser = inProcessBrowser(ctx);
    for (const evil of ['https://evil.example/', '//evil.example', '/admin/api/v1/clients', '/oauth/token']) {
      await browser.request(`${ISSUER}/admin/signin?return_to=${encodeURIComponent(evil)}`);
      const operator = await createOperator(ctx, 'admin');
      const { page } = await consoleSignIn(ctx, operator.email, { browser, start: `/admin/signin?return_to=${encodeURIComponent(evil)}` });
      assert.equal(new URL(page.url).pathname, at('/admin'), evil);
    }
  });

  it('signs out: the grant is revoked, the session cookie cleared, the end-user session kept', async () => {
    const operator = await createOperator(ctx, 'owner');
    const { browser, page } = await consoleSignIn(ctx, operator.email);
    assert.equal((await ctx.scope.repos.grants.listForUser(operator.id)).length, 1);
    const out = await consolePost(browser, page, '/admin/signout', {});
    assert.match(out.html, /signed out of the console/);
    assert.equal((await ctx.scope.repos.grants.listForUser(operator.id)).length, 0, 'the console grant is revoked');
    const again = await browser.request(`${ISSUER}/admin`);
    assert.equal(again.status, 303);
    assert.match(again.headers.get('location') ?? '', /\/admin\/signin/);
    const account = await browser.request(`${ISSUER}/account/apps`);
    assert.doesNotMatch(await account.text(), /\/login"/, 'the end-user session of the browser is not the console’s');
    const events = await ctx.scope.repos.events.list({ type: 'admin.signed_out', userId: operator.id });
    assert.equal(events.length, 1);
  });

  it('refuses a sign-out post without the CSRF token, and stays signed in', async () => {
    const operator = await createOperator(ctx, 'owner');
    const { browser } = await consoleSignIn(ctx, operator.email);
    const res = await browser.request(`${ISSUER}/admin/signout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=nope',
    });
    assert.equal(res.status, 303);
    const still = await browser.request(`${ISSUER}/admin`);
    assert.equal(still.status, 200);
  });

  it('ends the console session when the operator’s role is taken away', async () => {
    const operator = await createOperator(ctx, 'admin');
    const { browser } = await consoleSignIn(ctx, operator.email);
    await ctx.scope.repos.adminRoles.remove(operator.id);
    const res = await browser.request(`${ISSUER}/admin`);
    assert.equal(res.status, 303);
  });

  it('refreshes the access token when it runs out, and keeps the operator signed in', async () => {
    const operator = await createOperator(ctx, 'admin');
    const { browser } = await consoleSignIn(ctx, operator.email);
    ctx.clock.advance(3 * 3600);
    const res = await browser.request(`${ISSUER}/admin`);
    assert.equal(res.status, 200);
    ctx.clock.advance(6 * 3600);
    const expired = await browser.request(`${ISSUER}/admin`);
    assert.equal(expired.status, 303, 'a console session lasts 8 hours');
  });
});

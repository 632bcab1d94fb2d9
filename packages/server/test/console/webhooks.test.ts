import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type Receiver, startReceiver } from '../webhooks/receiver.js';

describe('console: webhooks', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let receiver: Receiver;
  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    receiver = await startReceiver();
    const operator = await createOperator(ctx, 'admin');
    ({ browser } = await consoleSignIn(ctx, operator.email, { start: '/admin/webhooks' }));
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });

  const open = (path: string, b: HttpBrowser = browser): Promise<Page> => consoleGet(b, path);
  const deliver = async (): Promise<void> => {
    ctx.services.webhooks.kick();
    await ctx.services.background.settled();
  };

  it('adds an endpoint and shows its secret once, with a copy button', async () => {
    const list = await open('/admin/webhooks');
    assert.equal(list.status, 200);
    const created = await consolePost(browser, list, '/admin/webhooks', { url: receiver.url('/console'), events: 'user.*', description: 'CRM' });
    assert.equal(created.status, 201);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(created.html)?.[0];
    assert.ok(secret);
    assert.match(created.html, /data-copy="webhook-secret"/);
    const [endpoint] = await ctx.scope.repos.webhooks.page({ limit: 10 });
    assert.ok(endpoint);
    const detail = await open(`/admin/webhooks/${endpoint.id}`);
    assert.equal(detail.status, 200);
    assert.ok(!detail.html.includes(secret), 'never shown again');
    assert.match((await open('/admin/webhooks')).html, /CRM/);
  });

  it('says what is wrong with a refused URL, keeping what was typed', async () => {
    const list = await open('/admin/webhooks');
    const refused = await consolePost(browser, list, '/admin/webhooks', { url: 'https://169.254.169.254/', events: 'user.*', description: '' });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /private, loopback or reserved/);
    assert.match(refused.html, /value="https:\/\/169.254.169.254\/"/);
  });

  it('edits the filter, disables and enables, sends a test, shows the log and replays from it', async () => {
    const [endpoint] = await ctx.scope.repos.webhooks.page({ limit: 10 });
    assert.ok(endpoint);
    const path = `/admin/webhooks/${endpoint.id}`;
    let page = await consolePost(browser, await open(path), path, { url: endpoint.url, events: 'user.created', description: 'CRM', enabled: '1' });
    assert.equal(page.status, 200);
    assert.equal((await ctx.scope.repos.webhooks.find(endpoint.id))?.events, 'user.created');
    page = await consolePost(browser, await open(path), path, { url: endpoint.url, events: 'user.created', description: 'CRM', enabled: [] });
    assert.equal((await ctx.scope.repos.webhooks.find(endpoint.id))?.enabled, false);
    page = await consolePost(browser, await open(path), path, { url: endpoint.url, events: 'user.created', description: 'CRM', enabled: '1' });
    assert.equal((await ctx.scope.repos.webhooks.find(endpoint.id))?.enabled, true);

    page = await consolePost(browser, await open(path), `${path}/test`, {});
    assert.equal(page.status, 200);
    await createTestUser(ctx);
    await deliver();
    page = await open(path);
    assert.match(page.html, /webhook\.test/);
    assert.match(page.html, /user\.created/);
    const before = receiver.received.length;
    page = await consolePost(browser, page, `${path}/replay`, {});
    assert.equal(page.status, 200);
    await deliver();
    assert.equal(receiver.received.length, before + 1);

    page = await consolePost(browser, await open(path), `${path}/rotate`, {});
    assert.match(page.html, /whsec_/);
  });

  it('refuses a form without the CSRF token, and shows a viewer no forms', async () => {
    const [endpoint] = await ctx.scope.repos.webhooks.page({ limit: 10 });
    const path = `/admin/webhooks/${endpoint?.id}`;
    const forged = await consolePost(browser, await open(path), `${path}/delete`, { confirm: '1', csrf: 'forged' });
    assert.equal(forged.status, 403);
    assert.ok(await ctx.scope.repos.webhooks.find(endpoint?.id ?? ''));
    const viewer = await createOperator(ctx, 'viewer');
    const { browser: theirs } = await consoleSignIn(ctx, viewer.email, { start: '/admin/webhooks' });
    const page = await open(path, theirs);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /<form[^>]*method="post"[^>]*webhooks/);
    const deleted = await consolePost(browser, await open(path), `${path}/delete`, { confirm: '1' });
    assert.equal(deleted.status, 200);
    assert.equal((await ctx.scope.repos.webhooks.find(endpoint?.id ?? '')) ?? null, null);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER, at } from '../helpers/prefix.js';
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
    assert.equal(created.status, 200);
    assert.match(created.url, /\/admin\/webhooks\/[^/]+\/secret$/, 'the POST answered with a redirect to the secret page');
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
    assert.ok(page.url.endsWith(`${path}/secret`), 'a rotation redirects too: a reload rotates nothing');
    const rotated = /whsec_[A-Za-z0-9+/=]+/.exec(page.html)?.[0] ?? '';
    const reload = await open(`${path}/secret`);
    assert.ok(reload.url.endsWith(path) || !reload.html.includes(rotated));
    assert.ok(!reload.html.includes(rotated), 'the rotated secret is not shown twice');
  });

  it('a reload of the secret page creates no second endpoint and does not show the secret again, even with the old cookie', async () => {
    const before = (await ctx.scope.repos.webhooks.page({ limit: 100 })).length;
    const list = await open('/admin/webhooks');
    const form = /<input type="hidden" name="csrf" value="([^"]+)"/.exec(list.html)?.[1] ?? assert.fail('a csrf field');
    const posted = await browser.request(`${ISSUER}/admin/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: form, url: receiver.url('/reload'), events: '*', description: 'Reload' }).toString(),
    });
    assert.equal(posted.status, 303);
    const flash = posted.headers.getSetCookie().find((c) => c.startsWith('gh_console_webhook_secret')) ?? assert.fail('a flash cookie');
    assert.match(flash, /HttpOnly/i);
    assert.match(flash, /SameSite=Strict/i);
    assert.doesNotMatch(flash, /whsec_/, 'the cookie is sealed');
    const location = new URL(posted.headers.get('location') ?? '', ISSUER).href;
    const shown = await browser.request(location);
    assert.equal(shown.status, 200);
    const html = await shown.text();
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(html)?.[0] ?? assert.fail('the secret');
    assert.equal((await ctx.scope.repos.webhooks.page({ limit: 100 })).length, before + 1);

    // Reloading: the page again, now without the secret (it sends the browser to the endpoint's page).
    const again = await browser.request(location);
    assert.equal(again.status, 303);
    assert.ok(!(await again.text()).includes(secret));
    const followed = await open(new URL(again.headers.get('location') ?? '', ISSUER).pathname.replace(at(''), ''));
    assert.ok(!followed.html.includes(secret));
    assert.equal((await ctx.scope.repos.webhooks.page({ limit: 100 })).length, before + 1, 'no second endpoint');

    // A browser that sends the old flash cookie again: spent at the issuer, so nothing.
    const jar = (browser as unknown as { cookies: { name: string; value: string; path: string }[] }).cookies;
    const [pair, ...attrs] = flash.split(';');
    const eq = (pair ?? '').indexOf('=');
    const pathAttr = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path=')) ?? 'path=/';
    jar.push({ name: (pair ?? '').slice(0, eq), value: (pair ?? '').slice(eq + 1), path: pathAttr.slice(5) });
    const replayed = await browser.request(location);
    assert.equal(replayed.status, 303);
    assert.ok(!(await replayed.text()).includes(secret));

    // Another operator's console sign-in with the same (fresh) flash cookie: not theirs to see.
    const fresh = await browser.request(`${ISSUER}/admin/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: form, url: receiver.url('/other'), events: '*', description: 'Other' }).toString(),
    });
    const otherFlash = fresh.headers.getSetCookie().find((c) => c.startsWith('gh_console_webhook_secret')) ?? assert.fail('a flash cookie');
    const otherLocation = new URL(fresh.headers.get('location') ?? '', ISSUER).href;
    const someone = await createOperator(ctx, 'admin');
    const { browser: theirs } = await consoleSignIn(ctx, someone.email, { start: '/admin/webhooks' });
    const [otherPair] = otherFlash.split(';');
    const oeq = (otherPair ?? '').indexOf('=');
    (theirs as unknown as { cookies: { name: string; value: string; path: string }[] }).cookies.push({
      name: (otherPair ?? '').slice(0, oeq),
      value: (otherPair ?? '').slice(oeq + 1),
      path: pathAttr.slice(5),
    });
    const stolen = await theirs.request(otherLocation);
    assert.equal(stolen.status, 303, 'bound to the sign-in that made it');
    assert.ok(!(await stolen.text()).includes('whsec_'));
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

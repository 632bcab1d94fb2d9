import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { at } from '../helpers/prefix.js';

const rows = (html: string): string[] => [...html.matchAll(/<tr id="event-[^"]+">[\s\S]*?<code>([^<]+)<\/code>/g)].map((m) => m[1] ?? '');

describe('console: audit log', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  let overview: Page;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'viewer');
    ({ browser, page: overview } = await consoleSignIn(ctx, operator.email));
    const events = ctx.scope.repos.events;
    for (let i = 0; i < 55; i++) await events.record({ type: 'user.created', userId: `u-${i}`, actor: 'cli', payload: {} });
    ctx.clock.advance(1);
    await events.record({ type: 'client.created', clientId: 'c-audit', actor: 'cli', payload: { client_name: 'Shop', public: false } });
    await events.record({ type: 'user.disabled', userId: 'u-7', actor: 'cli', address: '198.51.100.4', payload: {} });
  });
  after(() => ctx.close());

  const open = (path: string): Promise<Page> => consoleGet(browser, path);

  it('is linked from the overview and lists newest first, 50 a page, with "More" to the next', async () => {
    assert.ok(overview.html.includes(`href="${at('/admin/audit-log')}"`));
    const first = await open('/admin/audit-log');
    assert.equal(first.status, 200);
    const types = rows(first.html);
    assert.equal(types.length, 50);
    assert.deepEqual(types.slice(0, 2), ['user.disabled', 'client.created']);
    assert.match(first.html, /198\.51\.100\.4/);
    const more = /<a href="([^"]+)" id="more">/.exec(first.html)?.[1];
    assert.ok(more, 'a More link');
    const second = await open(more.replace(/&amp;/g, '&').replace(at(''), ''));
    const ids = (html: string): string[] => [...html.matchAll(/<tr id="(event-[^"]+)">/g)].map((m) => m[1] ?? '');
    assert.ok(rows(second.html).length >= 7, 'the rest (57 here, and the sign-in’s own events)');
    assert.ok(!ids(second.html).some((id) => ids(first.html).includes(id)), 'no event twice');
    assert.doesNotMatch(second.html, /id="more"/);
  });

  it('filters by type, user, client and day in a GET form, and keeps the filters on "More"', async () => {
    const byUser = await open('/admin/audit-log?user_id=u-7');
    assert.deepEqual(rows(byUser.html), ['user.disabled', 'user.created']);
    const byType = await open('/admin/audit-log?type=user.disabled');
    assert.deepEqual(rows(byType.html), ['user.disabled']);
    assert.match(byType.html, /<option value="user.disabled" selected="">/);
    // Several types, as the multiple select sends them; the "More" link carries them as one list.
    const several = await open('/admin/audit-log?type=user.disabled&type=client.created');
    assert.deepEqual([...new Set(rows(several.html))].sort(), ['client.created', 'user.disabled']);
    assert.match(several.html, /<option value="client.created" selected="">/);
    assert.deepEqual(rows((await open('/admin/audit-log?type=user.disabled%2Cclient.created')).html), rows(several.html));
    const byClient = await open('/admin/audit-log?client_id=c-audit');
    assert.deepEqual(rows(byClient.html), ['client.created']);
    const day = new Date(ctx.clock() * 1000).toISOString().slice(0, 10);
    const today = await open(`/admin/audit-log?since=${day}&until=${day}&type=user.created`);
    assert.equal(rows(today.html).length, 50);
    const more = /<a href="([^"]+)" id="more">/.exec(today.html)?.[1] ?? '';
    assert.match(more, /type=user.created/);
    assert.match(more, new RegExp(`since=${day}`));
  });

  it('shows a filter the API refuses next to its field, as a page', async () => {
    const page = await open('/admin/audit-log?since=not-a-day');
    assert.equal(page.status, 400);
    assert.match(page.html, /id="since-problem"/);
    assert.match(page.html, /id="since"[^>]*aria-invalid="true"/);
  });
});

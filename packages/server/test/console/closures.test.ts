import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext, secondIssuer } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { at } from '../helpers/prefix.js';

const rows = (html: string): string[] => [...html.matchAll(/<tr id="closure-[^"]+" data-reason="([^"]+)">/g)].map((m) => m[1] ?? '');

describe('console: closed accounts', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'viewer');
    ({ browser } = await consoleSignIn(ctx, operator.email));
    const closures = ctx.scope.repos.accountClosures;
    for (let i = 0; i < 52; i++) {
      await closures.record({ userId: `u-${i}`, reason: 'not_using', details: null, outcome: 'deleted' });
      ctx.clock.advance(1);
    }
    await closures.record({ userId: 'u-privacy', reason: 'privacy', details: 'Trop de <b>courriels</b>', outcome: 'deleted' });
    ctx.clock.advance(1);
    await closures.record({ userId: 'u-anon', reason: 'other', details: 'أسباب شخصية', outcome: 'anonymised' });
    const beta = await secondIssuer(ctx, 'closuresconsole');
    await beta.repos.accountClosures.record({ userId: 'u-beta', reason: 'problems', details: 'only at beta', outcome: 'deleted' });
  });
  after(() => ctx.close());

  it('is linked from the users page and lists reasons, free text, outcome and time, newest first, 50 a page', async () => {
    const users = await consoleGet(browser, '/admin/users');
    assert.ok(users.html.includes(`<a href="${at('/admin/account-closures')}" id="closures-link">Why people closed their accounts</a>`));
    const page = await consoleGet(browser, '/admin/account-closures');
    assert.equal(page.status, 200);
    assert.match(page.html, /<h1 id="page-title">Closed accounts<\/h1>/);
    const reasons = rows(page.html);
    assert.equal(reasons.length, 50);
    assert.deepEqual(reasons.slice(0, 3), ['other', 'privacy', 'not_using']);
    assert.match(page.html, /<td>Another reason<\/td>/);
    assert.match(page.html, /<td>Privacy concerns<\/td>/);
    assert.ok(page.html.includes('<span dir="auto">Trop de &lt;b&gt;courriels&lt;/b&gt;</span>'), 'the text as written, escaped');
    assert.ok(page.html.includes('<span dir="auto">أسباب شخصية</span>'));
    assert.match(page.html, /<td>anonymised<\/td>/);
    assert.ok(page.html.includes(`href="${at('/admin/users/u-anon')}"`), 'an anonymised account links to its row');
    assert.ok(!page.html.includes(`href="${at('/admin/users/u-privacy')}"`), 'a deleted one does not');
    assert.match(page.html, /<time datetime="\d{4}-\d{2}-\d{2}T/);
    assert.doesNotMatch(page.html, /only at beta/, 'another issuer’s closures are not here');
    const more = /<a href="([^"]+)" id="more">/.exec(page.html)?.[1];
    assert.ok(more);
    const next = await consoleGet(browser, more.replace(/&amp;/g, '&').replace(at(''), ''));
    assert.equal(rows(next.html).length, 4);
    assert.doesNotMatch(next.html, /id="more"/);
  });

  it('filters by reason in a GET form; an unknown reason shows every one', async () => {
    const privacy = await consoleGet(browser, '/admin/account-closures?reason=privacy');
    assert.deepEqual(rows(privacy.html), ['privacy']);
    assert.match(privacy.html, /<option value="privacy" selected="">Privacy concerns<\/option>/);
    const none = await consoleGet(browser, '/admin/account-closures?reason=problems');
    assert.match(none.html, /id="no-closures">No closure for this reason\./);
    const unknown = await consoleGet(browser, '/admin/account-closures?reason=%3Cscript%3E');
    assert.equal(unknown.status, 200);
    assert.equal(rows(unknown.html).length, 50);
  });

  it('is translated in each language of the console', async () => {
    const titles: Record<string, string> = { de: 'Geschlossene Konten', fr: 'Comptes fermés', es: 'Cuentas cerradas', ar: 'الحسابات المغلقة' };
    for (const [locale, title] of Object.entries(titles)) {
      const page = await consoleGet(browser, `/admin/account-closures?ui_locales=${locale}`);
      assert.equal(page.status, 200, locale);
      assert.ok(page.html.includes(`<h1 id="page-title">${title}</h1>`), locale);
      assert.doesNotMatch(page.html, /Privacy concerns|Another reason/, `${locale}: the reasons too`);
    }
  });

  it('needs a console role', async () => {
    const nobody = await createOperator(ctx, undefined);
    const { browser: other, page: refused } = await consoleSignIn(ctx, nobody.email, { start: '/admin/account-closures' });
    assert.equal(refused.status, 403);
    assert.match(refused.html, /Not an administrator/);
    const page = await consoleGet(other, '/admin/account-closures');
    assert.doesNotMatch(page.html, /Closed accounts|Trop de/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { type HttpBrowser, type Page, formIn } from '../helpers/http-browser.js';

describe('console: languages', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    ({ browser } = await consoleSignIn(ctx, operator.email));
  });
  after(() => ctx.close());

  const open = (path: string, language: string): Promise<Page> => consoleGet(browser, path, { headers: { 'accept-language': language } });

  /** Posts the page's form to `action` in `language` (the browser helper's submit sends none). */
  async function post(page: Page, action: string, fields: Record<string, string>, language: string): Promise<{ status: number; html: string }> {
    const form = formIn(page.html, action);
    const body = new URLSearchParams(form.hidden);
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    const res = await browser.request(new URL(form.action, page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': language },
      body: body.toString(),
    });
    return { status: res.status, html: await res.text() };
  }

  it('draws the overview in Arabic right to left, its chart with the page’s own words and digits', async () => {
    const page = await open('/admin', 'ar');
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="ar" dir="rtl">/);
    assert.match(page.html, /<h1 id="page-title">نظرة عامة<\/h1>/);
    assert.match(page.html, /<th scope="col">اليوم<\/th>/);
    const digits = new Intl.NumberFormat('ar').format(0);
    assert.match(page.html, new RegExp(`<td>${digits}</td>`));
    assert.doesNotMatch(page.html, />Overview</);
  });

  it('answers the token inspector in French, the verdict with French punctuation', async () => {
    const page = await open('/admin/token-inspector', 'fr-CH, en;q=0.5');
    assert.match(page.html, /Inspecteur de jetons/);
    const result = await post(page, '/admin/token-inspector', { token: 'not-a-token' }, 'fr');
    assert.equal(result.status, 200);
    assert.match(result.html, /Pas un jeton : <span class="bad">non valide<\/span>/);
    assert.match(result.html, /Ce n’est pas un JWT/);
  });

  it('names a field the Admin API refused by its Spanish label, the API’s own words marked English', async () => {
    const form = await open('/admin/applications/new?type=web', 'es');
    const refused = await post(form, '/admin/applications/new', { client_name: 'Rota', redirect_uris: 'https://x.example/cb#frag' }, 'es');
    assert.equal(refused.status, 400);
    assert.match(refused.html, /<a href="#redirect_uris">URI de redirección \(uno por línea\)<\/a>: <span lang="en">[^<]+<\/span>/);
  });

  it('asks in German for the box of a deletion to be ticked, and marks the box', async () => {
    const form = await open('/admin/applications/new?type=spa', 'en');
    const created = await consolePost(browser, form, '/admin/applications/new', { client_name: 'Kasse', redirect_uris: 'https://kasse.example.com/cb' });
    const id = /\/admin\/applications\/([^/"?]+)"/.exec(created.html)?.[1];
    assert.ok(id, 'the credentials page links to the application');
    const detail = await open(`/admin/applications/${id}`, 'de');
    assert.match(detail.html, /Diese Anwendung löschen/);
    const refused = await post(detail, `/admin/applications/${id}/delete`, {}, 'de');
    assert.equal(refused.status, 400);
    assert.match(refused.html, /<a href="#confirm-delete">Setzen Sie das Häkchen, um das Löschen zu bestätigen\.<\/a>/);
    assert.ok(await ctx.scope.repos.clients.find(id));
  });
});

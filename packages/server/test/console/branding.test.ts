import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER, at } from '../helpers/prefix.js';

const valueOfField = (html: string, id: string): string | undefined => new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];

const FIELDS = ['display_name', 'logo_url', 'brand_color', 'background_color', 'support_url', 'privacy_url', 'mail_from_name'];

/** What a browser sends: every field as the page shows it, with `changes` typed over it. */
function typed(page: Page, changes: Record<string, string>): Record<string, string> {
  const shown = Object.fromEntries(FIELDS.map((f) => [f, (valueOfField(page.html, f) ?? '').replace(/&amp;/g, '&')]));
  return { ...shown, ...changes };
}

describe('console: branding', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    ({ browser } = await consoleSignIn(ctx, operator.email));
  });
  after(() => ctx.close());

  const open = (path: string, b: HttpBrowser = browser): Promise<Page> => consoleGet(b, path);

  it('shows the form beside a server-drawn preview of the sign-in page, with the ids script.ts expects', async () => {
    const page = await open('/admin/branding');
    assert.equal(page.status, 200);
    for (const id of ['branding-preview', 'display_name', 'brand_color', 'background_color', 'logo_url', 'support_url', 'privacy_url', 'mail_from_name']) {
      assert.match(page.html, new RegExp(`id="${id}"`), id);
    }
    assert.equal(valueOfField(page.html, 'brand_color'), ctx.scope.settings.brand.color);
    assert.match(page.html, new RegExp(`<p class="brand-name">${ctx.scope.settings.brand.name}</p>`));
    const css = /<link rel="stylesheet" href="([^"]+preview\.css[^"]*)"/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(css?.startsWith(at('/admin/branding/preview.css')));
    const sheet = await ctx.app.request(new URL(css ?? '', ISSUER).href);
    assert.equal(sheet.status, 200);
    assert.match(await sheet.text(), new RegExp(`--brand: ${ctx.scope.settings.brand.color}`));
    assert.doesNotMatch(page.html, /style="/, 'no inline style (the CSP forbids it)');
  });

  it('previews the form’s values without saving them', async () => {
    const page = await open('/admin/branding');
    const preview = await consolePost(
      browser,
      page,
      '/admin/branding',
      typed(page, { intent: 'preview', display_name: 'Acme Sign-in', brand_color: '#0b5d1e' }),
    );
    assert.equal(preview.status, 200);
    assert.match(preview.html, /<p class="brand-name">Acme Sign-in<\/p>/);
    assert.match(preview.html, /preview\.css\?brand=0b5d1e/);
    assert.notEqual((await ctx.services.scopes.issuers.find('default'))?.name, 'Acme Sign-in');
  });

  it('saves through the Admin API, and the hosted pages carry the new name and colour', async () => {
    const page = await open('/admin/branding');
    const saved = await consolePost(
      browser,
      page,
      '/admin/branding',
      typed(page, {
        intent: 'save',
        display_name: 'Acme Sign-in',
        brand_color: '#0b5d1e',
        support_url: 'https://help.acme.example/',
      }),
    );
    assert.equal(saved.status, 200);
    assert.equal(new URL(saved.url).pathname, at('/admin/branding'));
    assert.match(saved.html, /Branding saved/);
    assert.equal(valueOfField(saved.html, 'support_url'), 'https://help.acme.example/');
    const [event] = await ctx.scope.repos.events.list({ type: 'issuer.updated', limit: 1 });
    assert.deepEqual(event?.payload, { changed: ['name', 'brand.color', 'brand.supportUrl'] });
    const css = await ctx.app.request(at('/assets/gatehouse.css'));
    assert.match(await css.text(), /--brand: #0b5d1e/);
  });

  it('shows the contrast refusal next to the colour field and keeps what was typed', async () => {
    const page = await open('/admin/branding');
    const refused = await consolePost(browser, page, '/admin/branding', typed(page, { intent: 'save', brand_color: '#9ecbff' }));
    assert.equal(refused.status, 400);
    assert.match(refused.html, /id="brand_color"[^>]*aria-invalid="true"/);
    assert.match(refused.html, /<p class="bad" lang="en">[^<]*contrast of [\d.]+:1 with white/);
    assert.equal(valueOfField(refused.html, 'brand_color'), '#9ecbff');
  });

  it('answers a stale form with the branding as it is now', async () => {
    const page = await open('/admin/branding');
    const other = await open('/admin/branding');
    await consolePost(browser, other, '/admin/branding', typed(other, { intent: 'save', display_name: 'First' }));
    const stale = await consolePost(browser, page, '/admin/branding', typed(page, { intent: 'save', display_name: 'Second' }));
    assert.equal(stale.status, 409);
    assert.equal(valueOfField(stale.html, 'display_name'), 'First');
  });

  it('speaks the browser’s language, Arabic right to left, the preview included', async () => {
    const { page } = await browser.navigate(`${ISSUER}/admin/branding`, ISSUER, { headers: { 'accept-language': 'ar' } });
    assert.ok(page);
    assert.match(page.html, /<html lang="ar" dir="rtl">/);
    assert.match(page.html, /<h1 id="page-title">الهوية البصرية<\/h1>/);
    assert.match(page.html, /<p class="preview-title">تسجيل الدخول<\/p>/);
  });

  it('lets a viewer look but not save', async () => {
    const viewer = await createOperator(ctx, 'viewer');
    const { browser: theirs } = await consoleSignIn(ctx, viewer.email);
    const page = await open('/admin/branding', theirs);
    assert.match(page.html, /id="display_name"[^>]*readonly/);
    assert.doesNotMatch(page.html, /value="save"/);
    const refused = await consolePost(theirs, page, '/admin/branding', typed(page, { intent: 'save', display_name: 'Viewer was here' }));
    assert.equal(refused.status, 403);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { createIssuer } from '../../src/issuers/service.js';
import { LOCALES } from '../../src/pages/locales.js';
import { at, atRe } from '../helpers/prefix.js';

describe('the home page at / of every issuer', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await createTestContext();
    await createIssuer(ctx.services, { id: 'acme', name: 'Acme Corp' });
  });
  after(() => ctx.close());

  it('names the issuer and links to discovery and the account page, instead of a JSON 404', async () => {
    const res = await ctx.app.request(at('/'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<h1 id="page-title">Gatehouse<\/h1>/);
    assert.match(html, new RegExp(`href="${atRe('/.well-known/openid-configuration')}"`));
    // The account security page, not one of its sub-pages.
    assert.match(html, new RegExp(`<a href="${atRe('/account')}" id="account-link">`));
    assert.doesNotMatch(html, /\/account\/apps/);
  });

  it('answers at <issuer>/ and <issuer> with the issuer display name and its own links', async () => {
    for (const path of ['/acme/', '/acme']) {
      const res = await ctx.app.request(at(path));
      assert.equal(res.status, 200, path);
      const html = await res.text();
      assert.match(html, /<h1 id="page-title">Acme Corp<\/h1>/);
      assert.match(html, new RegExp(`href="${atRe('/acme/.well-known/openid-configuration')}"`));
      assert.match(html, new RegExp(`<a href="${atRe('/acme/account')}" id="account-link">`));
      assert.doesNotMatch(html, /\/account\/apps/);
    }
  });

  it('is shown in each of the five languages', async () => {
    const seen = new Set<string>();
    for (const locale of LOCALES) {
      const html = await (await ctx.app.request(at(`/?ui_locales=${locale}`))).text();
      assert.match(html, new RegExp(`<html lang="${locale}"`));
      const intro = /<p>([^<]*)<\/p>/.exec(html)?.[1] ?? '';
      assert.ok(intro.includes('Gatehouse'), `${locale}: ${intro}`);
      seen.add(intro);
      // The link keeps the language chosen.
      assert.match(html, new RegExp(`<a href="${atRe('/account')}\\?ui_locales=${locale}" id="account-link">`), locale);
    }
    assert.equal(seen.size, LOCALES.length, 'each language has its own text');
  });
});

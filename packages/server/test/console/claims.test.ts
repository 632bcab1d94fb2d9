import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClaimConfigRepository } from '../../src/store/repos/claim-config.js';
import { ClaimAttributeRepository } from '../../src/store/repos/claim-attributes.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { KYC_SCHEMA } from '../claims/helpers.js';

describe('console: APIs, scopes and attributes', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    ({ browser } = await consoleSignIn(ctx, operator.email, { start: '/admin/apis' }));
  });
  after(() => ctx.close());

  const config = (): ReturnType<ClaimConfigRepository['load']> => new ClaimConfigRepository(ctx.services.store.db, ctx.clock, ctx.scope.id).load();

  it('defines an attribute, a scope and an API through the Admin API, and says what is wrong', async () => {
    let page = await consoleGet(browser, '/admin/apis');
    assert.equal(page.status, 200);
    assert.match(page.html, /No APIs yet/);
    page = await consolePost(browser, page, '/admin/apis/attribute', { name: 'kyc', target: 'user', schema: JSON.stringify(KYC_SCHEMA) });
    assert.match(page.html, /Saved\./);
    page = await consolePost(browser, page, '/admin/apis/scope', { name: 'kyc', description: 'See your KYC status', claims: 'kyc', id_token: '1' });
    page = await consolePost(browser, page, '/admin/apis/api', {
      identifier: 'https://api.coinpay.example',
      name: 'CoinPay API',
      scopes: 'payments = Make payments\npayments:refund = Refund payments',
      ttl: '300',
      claims: 'kyc wallets',
    });
    assert.match(page.html, /CoinPay API/);
    assert.match(page.html, /payments:refund/);
    const stored = await config();
    assert.deepEqual(stored.apis[0]?.scopes, [
      { name: 'payments', description: 'Make payments' },
      { name: 'payments:refund', description: 'Refund payments' },
    ]);
    assert.equal(stored.apis[0]?.accessTokenTtl, 300);
    assert.deepEqual(stored.scopes[0]?.idToken, true);

    const refused = await consolePost(browser, page, '/admin/apis/attribute', { name: 'sub', target: 'user', schema: '{"type":"string"}' });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /reserved/);
  });

  it('sets a user’s attribute from the user’s page, refusing one that breaks the schema', async () => {
    const user = await createTestUser(ctx);
    const detail = await consoleGet(browser, `/admin/users/${user.id}`);
    assert.match(detail.html, new RegExp(`href="[^"]*/admin/users/${user.id}/attributes"`));
    let page = await consoleGet(browser, `/admin/users/${user.id}/attributes`);
    assert.equal(page.status, 200);
    assert.match(page.html, /No attribute is set/);
    assert.match(page.html, /attribute-set-form/);
    const bad = await consolePost(browser, page, `/admin/users/${user.id}/attributes`, { name: 'kyc', value: '{"status":"approved","level":1}' });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /must be one of/);
    page = await consolePost(browser, page, `/admin/users/${user.id}/attributes`, { name: 'kyc', value: '{"status":"verified","level":2}' });
    assert.match(page.html, /Saved\./);
    const repo = new ClaimAttributeRepository(ctx.services.store.db, ctx.clock, ctx.scope.id);
    assert.deepEqual(await repo.of('user', user.id), { kyc: { status: 'verified', level: 2 } });
    page = await consolePost(browser, page, `/admin/users/${user.id}/attributes/unset`, { name: 'kyc' });
    assert.deepEqual(await repo.of('user', user.id), {});
  });

  it('shows a viewer the configuration without forms', async () => {
    const viewer = await createOperator(ctx, 'viewer');
    const { browser: theirs } = await consoleSignIn(ctx, viewer.email, { start: '/admin/apis' });
    const page = await consoleGet(theirs, '/admin/apis');
    assert.match(page.html, /CoinPay API/);
    assert.doesNotMatch(page.html, /id="api-form"/);
    assert.doesNotMatch(page.html, /claims.delete|>Delete</);
  });
});

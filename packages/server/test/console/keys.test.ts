import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';

describe('console: signing keys', () => {
  let ctx: TestContext;
  let browser: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    const operator = await createOperator(ctx, 'admin');
    ({ browser } = await consoleSignIn(ctx, operator.email, { start: '/admin/keys' }));
  });
  after(() => ctx.close());

  const open = (path: string, b: HttpBrowser = browser): Promise<Page> => consoleGet(b, path);
  const es256 = async () => (await ctx.scope.keys.list()).filter((k) => k.alg === 'ES256');

  it('lists every key with its status, and never key material', async () => {
    const page = await open('/admin/keys');
    assert.equal(page.status, 200);
    assert.match(page.html, /<h1 id="page-title">Signing keys<\/h1>/);
    for (const key of await ctx.scope.keys.list()) assert.match(page.html, new RegExp(key.kid.replace(/[-]/g, '\\-')));
    assert.doesNotMatch(page.html, /private_jwk|"d":/);
  });

  it('refuses to retire the only signing key, saying to rotate first; without the confirmation nothing happens', async () => {
    const [only] = await es256();
    assert.ok(only);
    const page = await open('/admin/keys');
    const unconfirmed = await consolePost(browser, page, `/${only.kid}/retire`, {});
    assert.equal(unconfirmed.status, 400);
    const refused = await consolePost(browser, page, `/${only.kid}/retire`, { confirm: '1' });
    assert.equal(refused.status, 409);
    assert.match(refused.html, /rotate first/);
    assert.equal((await es256())[0]?.status, 'signing');
  });

  it('rotates one algorithm, then retiring the old key makes the new one sign at once', async () => {
    const [old] = await es256();
    const page = await open('/admin/keys');
    const rotated = await consolePost(browser, page, '/admin/keys/rotate', { alg: 'ES256' });
    assert.equal(rotated.status, 200, rotated.html);
    const next = (await es256()).find((k) => k.status === 'pending');
    assert.ok(old && next);
    assert.match(rotated.html, new RegExp(`New key made: ${next.kid.replace(/[-]/g, '\\-')}`));
    const retired = await consolePost(browser, rotated, `/${old.kid}/retire`, { confirm: '1' });
    assert.equal(retired.status, 200, retired.html);
    assert.match(retired.html, /signs in its place from now/);
    const after = await es256();
    assert.deepEqual(
      after.map((k) => [k.kid, k.status]),
      [
        [old.kid, 'retired'],
        [next.kid, 'signing'],
      ],
    );
  });

  it('shows a viewer the keys without the forms', async () => {
    const viewer = await createOperator(ctx, 'viewer');
    const { browser: theirs } = await consoleSignIn(ctx, viewer.email, { start: '/admin/keys' });
    const page = await open('/admin/keys', theirs);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /keys\/rotate/);
  });

  it('refuses a retire without the CSRF token', async () => {
    const [key] = (await ctx.scope.keys.list()).filter((k) => k.alg === 'RS256');
    const page = await open('/admin/keys');
    const forged = await consolePost(browser, page, `/${key?.kid}/retire`, { confirm: '1', csrf: 'forged' });
    assert.equal(forged.status, 403);
  });
});

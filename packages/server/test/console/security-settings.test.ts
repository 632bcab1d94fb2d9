import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';

/** Every field as the page shows it (what a browser sends), with `changes` over it. */
function fieldsOf(html: string, changes: Record<string, string>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="([a-z_]+)" name="\1" type="number"[^>]*value="([^"]*)"/g)) fields[m[1] as string] = m[2] as string;
  return { ...fields, ...changes };
}

describe('console: security settings (lifetimes and the sign-in throttle)', () => {
  let ctx: TestContext;
  let owner: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    ({ browser: owner } = await consoleSignIn(ctx, (await createOperator(ctx, 'owner')).email));
  });
  after(() => ctx.close());

  it('shows the effective values, and an owner changes only what differs', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    assert.equal(page.status, 200);
    assert.match(page.html, new RegExp(`id="access_token_ttl"[^>]*value="${ctx.scope.settings.accessTokenTtl}"`));
    const saved = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { access_token_ttl: '600', login_max_failures: '7' }));
    assert.ok(saved.html.includes('Saved.'), `not saved (${saved.status})`);
    const settings = (await ctx.services.scopes.defaultScope()).settings;
    assert.equal(settings.accessTokenTtl, 600);
    assert.equal(settings.login.maxFailures, 7);
    const [event] = await ctx.scope.repos.events.list({ type: 'issuer.updated', limit: 1 });
    assert.ok(event?.actor?.startsWith('user:'));
    assert.equal((event?.payload as { changed: string[] } | undefined)?.changed.length, 2, 'only what differs was sent');
  });

  it('sets the second-factor policy and “remember this device”', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    assert.match(page.html, /<option value="off" selected/);
    const saved = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { mfa: 'required', remember_device: '1' }));
    assert.ok(saved.html.includes('Saved.'), `not saved (${saved.status})`);
    let settings = (await ctx.services.scopes.defaultScope()).settings;
    assert.deepEqual([settings.mfa, settings.rememberDevice], ['required', true]);
    const again = await consoleGet(owner, '/admin/settings');
    assert.match(again.html, /<option value="required" selected/);
    assert.match(again.html, /id="remember_device"[^>]*checked/);
    // An unticked box is sent as nothing: remembering is turned off.
    await consolePost(owner, again, '/admin/settings', fieldsOf(again.html, { mfa: 'off' }));
    settings = (await ctx.services.scopes.defaultScope()).settings;
    assert.deepEqual([settings.mfa, settings.rememberDevice], ['off', false]);
  });

  it('refuses a value out of its bounds or not a number, naming the field and keeping what was typed', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    for (const bad of ['5', 'soon']) {
      const refused = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { code_ttl: bad }));
      assert.equal(refused.status, 400, bad);
      assert.match(refused.html, /id="code_ttl"[^>]*aria-invalid="true"/);
      assert.ok(refused.html.includes(`value="${bad}"`));
    }
  });

  it('sets the sign-up policy: off by default, then open, and refuses a policy that is none of the three', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    assert.match(page.html, /<option value="off" selected="">/);
    const saved = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { sign_up: 'open' }));
    assert.ok(saved.html.includes('Saved.'), `not saved (${saved.status})`);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.signUp, 'open');
    assert.match((await consoleGet(owner, '/admin/settings')).html, /<option value="open" selected="">/);
    const refused = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { sign_up: 'everyone' }));
    assert.equal(refused.status, 400);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.signUp, 'open');
  });

  it('sets what closing an account does, and refuses a choice that is not one', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    assert.match(page.html, /<option value="delete" selected="">Delete the user<\/option>/);
    const saved = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { closed_accounts: 'anonymise' }));
    assert.ok(saved.html.includes('Saved.'), `not saved (${saved.status})`);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.closedAccounts, 'anonymise');
    assert.match(saved.html, /<option value="anonymise" selected="">Anonymise the user<\/option>/);
    const refused = await consolePost(owner, saved, '/admin/settings', fieldsOf(saved.html, { closed_accounts: 'shred' }));
    assert.equal(refused.status, 400);
    assert.match(refused.html, /id="closed_accounts"[^>]*aria-invalid="true"/);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.closedAccounts, 'anonymise');
  });

  it('shows an admin the values without a way to change them, and refuses an admin’s post', async () => {
    const { browser } = await consoleSignIn(ctx, (await createOperator(ctx, 'admin')).email);
    const page = await consoleGet(browser, '/admin/settings');
    assert.match(page.html, /<fieldset disabled/);
    assert.match(page.html, /Only an owner/);
    const refused = await consolePost(browser, page, '/admin/settings', fieldsOf(page.html, { access_token_ttl: '120' }));
    assert.equal(refused.status, 403);
  });
});

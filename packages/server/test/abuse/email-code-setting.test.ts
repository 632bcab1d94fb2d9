import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateSettings, defaultSettings } from '../../src/issuers/settings.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';

/** The number fields as the page shows them (what a browser sends), with `changes` over them. */
function fieldsOf(html: string, changes: Record<string, string>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="([a-z_]+)" name="\1" type="number"[^>]*value="([^"]*)"/g)) fields[m[1] as string] = m[2] as string;
  return { ...fields, ...changes };
}

// The "Email me a code" issuer setting: off by default, a boolean in the settings, switched on
// and off from the console's security settings page (through the Admin API's email_code).
describe('the emailCode issuer setting', () => {
  let ctx: TestContext;
  let owner: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    ({ browser: owner } = await consoleSignIn(ctx, (await createOperator(ctx, 'owner')).email));
  });
  after(() => ctx.close());

  it('is off by default and only a boolean', () => {
    assert.equal(ctx.scope.settings.emailCode, false);
    const defaults = defaultSettings(ctx.config);
    assert.equal(validateSettings({ emailCode: true }, {}, defaults).emailCode, true);
    assert.throws(() => validateSettings({ emailCode: 'yes' }, {}, defaults), /emailCode: must be true or false/);
  });

  it('the console turns it on with the checkbox and off without it', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    assert.match(page.html, /<input id="email_code" name="email_code" type="checkbox" value="1"/);
    const on = await consolePost(owner, page, '/admin/settings', { ...fieldsOf(page.html, {}), email_code: '1' });
    assert.ok(on.html.includes('Saved.'), `not saved (${on.status})`);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.emailCode, true);
    const again = await consoleGet(owner, '/admin/settings');
    assert.match(again.html, /id="email_code"[^>]*checked/);
    const off = await consolePost(owner, again, '/admin/settings', fieldsOf(again.html, {}));
    assert.ok(off.html.includes('Saved.'));
    assert.equal((await ctx.services.scopes.defaultScope()).settings.emailCode, false);
  });
});

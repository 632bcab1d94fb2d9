import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';

/** Every number field as the page shows it (what a browser sends), with `changes` over it. */
function fieldsOf(html: string, changes: Record<string, string>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="([a-z_]+)" name="\1" type="number"[^>]*value="([^"]*)"/g)) fields[m[1] as string] = m[2] as string;
  return { ...fields, ...changes };
}

// The audit log's retention on the console's security settings page (docs/audit.md).
describe('console: the audit log retention setting', () => {
  let ctx: TestContext;
  let owner: HttpBrowser;
  before(async () => {
    ctx = await createTestContext();
    ({ browser: owner } = await consoleSignIn(ctx, (await createOperator(ctx, 'owner')).email));
  });
  after(() => ctx.close());

  it('shows the retention with its label and bounds, and an owner changes it', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    assert.match(page.html, /<label for="audit_retention_days">Keep the audit log for, in days \(0: for ever\)<\/label>/);
    assert.match(page.html, /id="audit_retention_days"[^>]*min="0" max="3650"[^>]*value="365"/);
    const saved = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { audit_retention_days: '90' }));
    assert.ok(saved.html.includes('Saved.'), `not saved (${saved.status})`);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.auditRetentionDays, 90);
  });

  it('a value out of bounds is refused next to the field, and nothing changes', async () => {
    const page = await consoleGet(owner, '/admin/settings');
    const refused = await consolePost(owner, page, '/admin/settings', fieldsOf(page.html, { audit_retention_days: '5000' }));
    assert.equal(refused.status, 400);
    assert.match(refused.html, /aria-invalid="true"[^>]*id="audit_retention_days"|id="audit_retention_days"[^>]*aria-invalid="true"/);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.auditRetentionDays, 90);
  });

  it('the label is translated', async () => {
    const page = await consoleGet(owner, '/admin/settings', { headers: { 'accept-language': 'de' } });
    assert.match(page.html, /Audit-Protokoll aufbewahren, in Tagen/);
  });
});

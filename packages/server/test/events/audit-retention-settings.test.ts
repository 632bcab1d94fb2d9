import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../../src/issuers/settings.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { gatehouse } from '../helpers/cli-run.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

// audit_retention_days as the Admin API and the CLI set it: an owner's policy, checked.
describe('the audit retention setting', () => {
  let ctx: TestContext;
  let owner: string;
  let writer: string;

  before(async () => {
    ctx = await createTestContext();
    owner = (await personToken(ctx, 'owner')).token;
    writer = (await personToken(ctx, 'admin')).token;
  });
  after(() => ctx.close());

  const shown = async (): Promise<number> =>
    ((await (await admin(ctx, owner, 'GET', '/settings')).json()) as { audit_retention_days: number }).audit_retention_days;

  it('the Admin API shows the default, an owner changes it, an admin may not, and it is range-checked', async () => {
    assert.equal(await shown(), DEFAULT_AUDIT_RETENTION_DAYS);
    assert.equal((await admin(ctx, writer, 'PATCH', '/settings', { audit_retention_days: 30 })).status, 403);
    const res = await admin(ctx, owner, 'PATCH', '/settings', { audit_retention_days: 30 });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await shown(), 30);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.auditRetentionDays, 30);
    const refused = await admin(ctx, owner, 'PATCH', '/settings', { audit_retention_days: 9999 });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /audit_retention_days/);
  });

  it('gatehouse issuer update --audit-retention-days sets it; 0 keeps the log for ever', async () => {
    const result = await gatehouse(ctx, ['issuer', 'update', 'default', '--audit-retention-days', '0']);
    assert.equal(result.code, 0, result.err);
    ctx.services.scopes.invalidate('default');
    assert.equal(await shown(), 0);
  });
});

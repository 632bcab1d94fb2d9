import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RETENTION_BATCH, pruneAuditLog } from '../../src/events/retention.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { updateIssuer } from '../../src/issuers/service.js';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../../src/issuers/settings.js';
import { runMaintenance } from '../../src/maintenance.js';
import { createWebhook } from '../../src/webhooks/service.js';
import { type TestContext, createTestContext, secondIssuer } from '../helpers/harness.js';

const DAY = 86_400;

// The audit log's retention (docs/audit.md) on both backends: each issuer's events older than
// its audit_retention_days go in batches; an event with a delivery still held stays.
describe('audit log retention', () => {
  let ctx: TestContext;
  let beta: IssuerScope;
  let now: number;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    beta = await secondIssuer(ctx);
    now = ctx.clock();
  });
  after(() => ctx.close());

  /** Records a user.updated event at `daysAgo` in `scope`, and returns its id. */
  async function eventAt(scope: IssuerScope, daysAgo: number, note: string): Promise<string> {
    ctx.clock.set(now - daysAgo * DAY);
    try {
      return await scope.repos.events.record({ type: 'user.updated', userId: note, payload: { changed: [note] } });
    } finally {
      ctx.clock.set(now);
    }
  }
  const ids = async (scope: IssuerScope): Promise<string[]> => (await scope.repos.events.page({ limit: 1000 })).map((e) => e.id);

  it(`keeps ${DEFAULT_AUDIT_RETENTION_DAYS} days by default; the maintenance run deletes what is older, per issuer's own setting`, async () => {
    assert.equal(ctx.scope.settings.auditRetentionDays, DEFAULT_AUDIT_RETENTION_DAYS);
    const old = await eventAt(ctx.scope, DEFAULT_AUDIT_RETENTION_DAYS + 1, 'old');
    const recent = await eventAt(ctx.scope, DEFAULT_AUDIT_RETENTION_DAYS - 1, 'recent');
    await updateIssuer(ctx.services, 'beta', { settings: { auditRetentionDays: 0 } });
    const kept = await eventAt(beta, 5000, 'beta-ancient');
    await runMaintenance(ctx.services);
    const left = await ids(ctx.scope);
    assert.ok(!left.includes(old), 'older than the retention: deleted');
    assert.ok(left.includes(recent));
    assert.ok((await ids(beta)).includes(kept), '0 keeps the log for ever');
  });

  it('deletes a backlog in batches, oldest first, and only past the retention', async () => {
    await updateIssuer(ctx.services, 'beta', { settings: { auditRetentionDays: 30 } });
    ctx.clock.set(now - 40 * DAY);
    const rows = Array.from({ length: RETENTION_BATCH + 5 }, (_, i) => ({
      id: `bulk-${String(i).padStart(5, '0')}`,
      issuer_id: 'beta',
      type: 'user.updated',
      occurred_at: now - 40 * DAY,
      actor: null,
      user_id: null,
      client_id: null,
      payload: '{"changed":[]}',
      address: null,
    }));
    ctx.clock.set(now);
    for (let i = 0; i < rows.length; i += 200)
      await ctx.services.store.db
        .insertInto('events')
        .values(rows.slice(i, i + 200))
        .execute();
    const young = await eventAt(beta, 29, 'young');
    assert.equal(await beta.repos.events.deleteBefore(now - 30 * DAY, RETENTION_BATCH), RETENTION_BATCH, 'one batch at a time');
    await pruneAuditLog(ctx.services);
    const left = await ids(beta);
    assert.ok(!left.some((id) => id.startsWith('bulk-')));
    assert.ok(left.includes(young));
  });

  it('never deletes an event whose webhook delivery is pending or dead-lettered', async () => {
    await updateIssuer(ctx.services, 'beta', { settings: { auditRetentionDays: 1 } });
    await createWebhook(beta, { url: 'http://127.0.0.1:9/hook', events: 'user.*' });
    const held = await eventAt(beta, 3, 'held');
    const deliveries = await ctx.services.store.db.selectFrom('event_deliveries').select('event_id').where('event_id', '=', held).execute();
    assert.equal(deliveries.length, 1, 'the endpoint has a delivery of it');
    await pruneAuditLog(ctx.services);
    assert.ok((await ids(beta)).includes(held), 'kept while its delivery is held');
    await ctx.services.store.db.deleteFrom('event_deliveries').where('event_id', '=', held).execute();
    await pruneAuditLog(ctx.services);
    assert.ok(!(await ids(beta)).includes(held), 'and deleted once the delivery is done');
  });

  it('the setting is checked: 0 to 3650 days', async () => {
    await assert.rejects(updateIssuer(ctx.services, 'beta', { settings: { auditRetentionDays: -1 } }), /auditRetentionDays/);
    await assert.rejects(updateIssuer(ctx.services, 'beta', { settings: { auditRetentionDays: 4000 } }), /auditRetentionDays/);
  });
});

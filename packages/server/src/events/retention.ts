import type { Services } from '../services.js';
import { defaultSettings, resolveSettings, type StoredSettings } from '../issuers/settings.js';
import { EventRepository } from '../store/repos/events.js';

/** Events deleted per statement: short transactions, so writers are never held up for long. */
export const RETENTION_BATCH = 1000;
/** Batches per issuer and maintenance run: a backlog (a retention just shortened) goes over several runs. */
const MAX_BATCHES = 50;

/**
 * The audit log's retention (docs/audit.md): each issuer's events older than its
 * auditRetentionDays go, in batches, oldest first; 0 keeps them. An event with a delivery still
 * held (a webhook pending or dead-lettered) stays until that delivery goes. Returns how many
 * events were deleted.
 */
export async function pruneAuditLog(services: Services): Promise<number> {
  const { store, clock, config } = services;
  const defaults = defaultSettings(config);
  const issuers = await store.db.selectFrom('issuers').select(['id', 'name', 'settings']).where('deleted_at', 'is', null).execute();
  let deleted = 0;
  for (const issuer of issuers) {
    const days = resolveSettings(defaults, issuer.name, JSON.parse(issuer.settings) as StoredSettings).auditRetentionDays;
    if (days <= 0) continue;
    const events = new EventRepository(store.db, clock, issuer.id);
    const before = clock() - days * 86_400;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const gone = await events.deleteBefore(before, RETENTION_BATCH);
      deleted += gone;
      if (gone < RETENTION_BATCH) break;
    }
  }
  return deleted;
}

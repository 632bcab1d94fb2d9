import type { Services } from './services.js';

/** Rows kept this long past expiry, so a late replay is still recognised as a replay. */
const GRACE_SECONDS = 24 * 3600;

/**
 * Periodic upkeep, safe to run on every instance at once: rotates signing keys that are due and
 * deletes rows that have expired.
 */
export async function runMaintenance(services: Services): Promise<void> {
  const { config, store, clock } = services;
  if (config.keyRotationDays > 0) {
    // Every issuer's keys; an issuer's scope costs no I/O to build, and the cache bounds them.
    for (const { id } of await services.scopes.issuers.list()) {
      const scope = await services.scopes.byId(id);
      await scope?.keys.rotateDue(config.keyRotationDays * 86_400);
    }
  }
  const before = clock() - GRACE_SECONDS;
  const db = store.db;
  await db.deleteFrom('interactions').where('expires_at', '<', before).execute();
  await db.deleteFrom('authorization_codes').where('expires_at', '<', before).execute();
  await db.deleteFrom('access_token_revocations').where('expires_at', '<', before).execute();
  await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
  await db.deleteFrom('grants').where('expires_at', '<', before).execute();
  await db.deleteFrom('sessions').where('expires_at', '<', before).execute();
  await db.deleteFrom('password_resets').where('expires_at', '<', before).execute();
  // Given up long ago (mail/outbox.ts), or left when mail was turned off.
  await db.deleteFrom('mail_outbox').where('created_at', '<', before).execute();
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
  await db.deleteFrom('signing_keys').where('expires_at', '<', before).execute();
}

import { pruneAuditLog } from './events/retention.js';
import type { Services } from './services.js';
import { endExpiredSessions } from './services/sessions.js';
import { IdempotencyKeyRepository } from './store/repos/idempotency-keys.js';

/** Rows kept this long past expiry, so a late replay is still recognised as a replay. */
const GRACE_SECONDS = 24 * 3600;
/** Deliveries older than the grace and this many days go, dead or not. */
const DEAD_LETTER_DAYS = 6;
/** A webhook endpoint's delivery log keeps this many days of attempts. */
const WEBHOOK_LOG_DAYS = 30;

/**
 * Periodic upkeep, safe to run on every instance at once: rotates signing keys that are due and
 * deletes rows that have expired.
 */
export async function runMaintenance(services: Services): Promise<void> {
  const { config, store, clock } = services;
  if (config.keyRotationDays > 0) {
    // Only the issuers that have a key due: a thousand idle issuers cost one read, not a thousand.
    const maxAge = config.keyRotationDays * 86_400;
    const due = await store.db
      .selectFrom('signing_keys')
      .select('issuer_id')
      .distinct()
      .where('retires_at', 'is', null)
      .where('activates_at', '<=', clock() - maxAge)
      .execute();
    for (const { issuer_id: id } of due) await (await services.scopes.byId(id))?.keys.rotateDue(maxAge);
  }
  // A session's lifetime bounds the grants signed in through it (sessions.ts).
  await endExpiredSessions(services);
  const before = clock() - GRACE_SECONDS;
  const db = store.db;
  await db.deleteFrom('interactions').where('expires_at', '<', before).execute();
  await db.deleteFrom('authorization_codes').where('expires_at', '<', before).execute();
  await db.deleteFrom('access_token_revocations').where('expires_at', '<', before).execute();
  await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
  await db.deleteFrom('grants').where('expires_at', '<', before).execute();
  await db.deleteFrom('sessions').where('expires_at', '<', before).execute();
  await db.deleteFrom('password_resets').where('expires_at', '<', before).execute();
  await db.deleteFrom('passkey_challenges').where('expires_at', '<', before).execute();
  await db.deleteFrom('wallet_challenges').where('expires_at', '<', before).execute();
  await db.deleteFrom('upstream_flows').where('expires_at', '<', before).execute();
  // Stripe redelivers an event for three days at most: its id is kept a month (claims/stripe.ts).
  await db
    .deleteFrom('stripe_events')
    .where('received_at', '<', before - 30 * 86_400)
    .execute();
  // Dead letters kept a while for an operator to look at (events/delivery.ts), and deliveries
  // left for a consumer that is turned off (mail without SMTP). The events stay in the log.
  await db
    .deleteFrom('event_deliveries')
    .where('created_at', '<', before - DEAD_LETTER_DAYS * 86_400)
    .execute();
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
  await db.deleteFrom('signing_keys').where('expires_at', '<', before).execute();
  await IdempotencyKeyRepository.sweep(db, clock());
  await db.deleteFrom('console_setup_links').where('expires_at', '<', before).execute();
  await db.deleteFrom('email_verifications').where('expires_at', '<', before).execute();
  await db
    .deleteFrom('webhook_attempts')
    .where('at', '<', clock() - WEBHOOK_LOG_DAYS * 86_400)
    .execute();
  await db.deleteFrom('proof_of_work_spent').where('expires_at', '<', before).execute();
  await db.deleteFrom('email_codes').where('expires_at', '<', before).execute();
  // After the deliveries above: an event whose dead letter just went may go with this run.
  await pruneAuditLog(services);
}

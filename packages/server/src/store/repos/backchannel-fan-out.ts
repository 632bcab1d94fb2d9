import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

/** The consumer of back-channel logout deliveries: rows are `backchannel:<client id>:<sid>`. */
export const BACKCHANNEL_CONSUMER = 'backchannel';

/** The client and session a delivery row is for (client ids and sids hold no ':'). */
export function backchannelTarget(consumer: string): { clientId: string; sid: string } | undefined {
  const match = /^backchannel:([^:]+):([^:]+)$/.exec(consumer);
  return match?.[1] && match[2] ? { clientId: match[1], sid: match[2] } : undefined;
}

/**
 * Queues a logout token for each client that the sessions `sids` signed in to (a grant names
 * the session, offline_access or not, live or revoked) and that registered a
 * backchannel_logout_uri, on the `session.ended` event `eventId`: one INSERT ... SELECT in the
 * transaction that ends the sessions, so a session that ended is promised its logouts. With no
 * such client it inserts nothing. DISTINCT, as a client may hold several grants of one session;
 * PostgreSQL types a DISTINCT list before the INSERT would, hence the casts.
 */
export async function queueBackchannelLogouts(db: Kysely<Database>, issuer: string, eventId: string, sids: readonly string[], now: number): Promise<void> {
  if (sids.length === 0) return;
  await sql`INSERT INTO event_deliveries (event_id, consumer, issuer_id, created_at, not_before, lease_until, attempts, dead_at, last_error)
    SELECT DISTINCT ${eventId}, 'backchannel:' || g.client_id || ':' || g.sid, g.issuer_id, CAST(${now} AS bigint), CAST(${now} AS bigint), 0, 0, CAST(NULL AS bigint), CAST(NULL AS varchar(500))
    FROM grants g INNER JOIN clients c ON c.issuer_id = g.issuer_id AND c.id = g.client_id
    WHERE g.issuer_id = ${issuer} AND g.sid IN (${sql.join(sids)}) AND c.backchannel_logout_uri IS NOT NULL`.execute(db);
}

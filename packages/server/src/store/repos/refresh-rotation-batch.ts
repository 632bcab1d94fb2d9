import { type Kysely, type Selectable, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { Batcher } from '../batcher.js';
import { GRANT_COLUMNS, USER_COLUMNS, columnList } from '../columns.js';
import { prepared } from '../prepared.js';
import type { Database, GrantTable } from '../schema.js';
import { type GrantWithUser, USER_PREFIX, toGrantWithUser } from './grants.js';
import { liveSecretHash } from './refresh-token-rows.js';

/** One rotation to make: the presented chain and secret hash, its client, the scopes asked (space-separated, null for the grant's) and the successor's hash. */
export interface RotationRequest {
  /** The issuer the chain, its grant and its user must belong to. */
  issuer: string;
  id: string;
  secretHash: string;
  clientId: string;
  asked: string | null;
  nextHash: string;
}

/**
 * PostgreSQL: rotations (refresh-rotation.ts) in one statement, so one round trip and no
 * BEGIN/COMMIT, for one request or many. The requests come in as parallel arrays, numbered, and
 * each rotated row comes back with its number. A chain's secret hash is overwritten only where
 * the presented secret is the live one, the grant live, its user enabled and the asked scope
 * (space-separated, or NULL for all of the grant's) inside the grant's; any other request comes
 * back with no row. The hash it replaces is kept as the chain's previous one (SET reads the
 * row as it was), for the client's reuse grace. Neither changed column is indexed, so PostgreSQL updates the row in place
 * (HOT) and checks no foreign key. Concurrent uses of one token serialise on the row lock; the
 * second then finds the hash changed and rotates nothing. Two requests for one chain in a batch: PostgreSQL updates a
 * row once, through one of them, whose secret matched; the other comes back with no row, as it
 * would have after the first one had committed.
 */
const ROTATE_MANY = prepared(
  (
    db: Kysely<Database>,
    issuers: string[],
    ids: string[],
    secretHashes: string[],
    clientIds: string[],
    asked: (string | null)[],
    nextHashes: string[],
    now: number,
  ) => ({
    compile: () =>
      sql<Selectable<GrantTable> & Record<string, unknown> & { n: string | number }>`
      UPDATE refresh_tokens SET previous_secret_hash = ${liveSecretHash}, secret_hash = r.next_hash, created_at = ${now}
      FROM unnest(${issuers}::text[], ${ids}::text[], ${secretHashes}::text[], ${clientIds}::text[], ${asked}::text[], ${nextHashes}::text[])
          WITH ORDINALITY AS r(issuer_id, id, secret_hash, client_id, asked, next_hash, n),
        grants JOIN users ON users.id = grants.user_id
      WHERE refresh_tokens.id = r.id AND refresh_tokens.issuer_id = r.issuer_id AND ${liveSecretHash} = r.secret_hash AND refresh_tokens.client_id = r.client_id
        AND refresh_tokens.consumed_at IS NULL AND refresh_tokens.expires_at > ${now}
        AND grants.id = refresh_tokens.grant_id AND grants.issuer_id = r.issuer_id AND grants.revoked_at IS NULL AND grants.expires_at > ${now}
        AND users.issuer_id = r.issuer_id AND users.disabled = 0
        AND (r.asked IS NULL OR string_to_array(r.asked, ' ') <@ string_to_array(grants.scope, ' '))
      RETURNING r.n, ${columnList(GRANT_COLUMNS, 'grants')}, ${columnList(USER_COLUMNS, 'users', USER_PREFIX)}`.compile(db),
  }),
);

/** Rotates each request's chain where it may; per request, its grant and user, or undefined. */
export async function rotateMany(db: Kysely<Database>, clock: Clock, requests: RotationRequest[]): Promise<(GrantWithUser | undefined)[]> {
  const query = ROTATE_MANY(
    db,
    requests.map((r) => r.issuer),
    requests.map((r) => r.id),
    requests.map((r) => r.secretHash),
    requests.map((r) => r.clientId),
    requests.map((r) => r.asked),
    requests.map((r) => r.nextHash),
    clock(),
  );
  const found = new Array<GrantWithUser | undefined>(requests.length);
  for (const { n, ...row } of (await db.executeQuery(query)).rows) found[Number(n) - 1] = toGrantWithUser(row);
  return found;
}

/** Batches under way at once: two kept the database and this process busiest (one and four did less). */
const IN_FLIGHT = 2;
const MAX_BATCH = 64;

/**
 * Rotations on a server's own database (never inside a transaction), each made alone when none
 * is under way and together with the others that arrive while two batches are.
 */
export class RotationBatcher {
  private readonly batcher: Batcher<RotationRequest, GrantWithUser | undefined>;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.batcher = new Batcher((requests) => rotateMany(db, clock, requests), IN_FLIGHT, MAX_BATCH);
  }

  rotate(request: RotationRequest): Promise<GrantWithUser | undefined> {
    return this.batcher.submit(request);
  }
}

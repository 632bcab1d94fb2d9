import { type Kysely, PostgresAdapter, type QueryCreator, type Selectable, sql } from 'kysely';
import { INTERACTION_COLUMNS, USER_COLUMNS, qualified, unprefixed } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import type { Database, InteractionTable, UserTable } from '../schema.js';
import { rateLimitKey } from './rate-limits.js';

const INTERACTION_PREFIX = 'i_';

/** The throttle counters a password check is reserved against (auth/throttle.ts). */
export interface LoginKeys {
  /** Failures of one account from every address. */
  account: string;
  /** Failures of one address for every account. */
  address: string;
  /** Failures of one account from one address. */
  pair: string;
}

export interface LoginCounts {
  account: number;
  address: number;
  pair: number;
}

/**
 * Counts one attempt against each key, in one statement, and returns the counts with it: the
 * database decides, so parallel attempts (on any instance) each get a count of their own and
 * no two see the same. Keys are written in one order (account, address, pair: sorted, as they
 * share their prefix) so two statements never wait on each other's rows in a cycle.
 */
const reserve = <DB extends Database>(qc: QueryCreator<DB>, account: string, address: string, pair: string, now: number, stale: number) =>
  (qc as unknown as QueryCreator<Database>)
    .insertInto('rate_limits')
    .values([
      { key: account, window_start: now, count: 1 },
      { key: address, window_start: now, count: 1 },
      { key: pair, window_start: now, count: 1 },
    ])
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.window_start <= ${stale} then 1 else rate_limits.count + 1 end`,
        window_start: sql<number>`case when rate_limits.window_start <= ${stale} then ${now} else rate_limits.window_start end`,
      }),
    )
    .returning(['key', 'count']);

const RESERVE = prepared((db: Kysely<Database>, account: string, address: string, pair: string, now: number, stale: number) =>
  reserve(db, account, address, pair, now, stale),
);

/** The account by email, and whether it has signed in from `address` before. */
const account = (db: Kysely<Database>, issuer: string, email: string, address: string) =>
  db
    .selectFrom(sql<{ one: number }>`(SELECT 1 AS one)`.as('anchor'))
    .leftJoin('users', (join) => join.on('users.issuer_id', '=', issuer).on('users.email', '=', email))
    .select(qualified('users', USER_COLUMNS))
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('known_login_addresses')
            .select('known_login_addresses.user_id')
            .where('known_login_addresses.issuer_id', '=', issuer)
            .whereRef('known_login_addresses.user_id', '=', 'users.id')
            .where('known_login_addresses.address', '=', address),
        )
        .as('known_address'),
    );

type AccountQuery = ReturnType<typeof account>;

/** Also the open interaction the sign-in form was posted to: the whole form in one read. */
const withInteraction = (query: AccountQuery, interactionId: string, now: number, issuer: string) =>
  query
    .leftJoin('interactions', (join) =>
      join
        .on('interactions.id', '=', interactionId)
        .on('interactions.issuer_id', '=', issuer)
        .on('interactions.completed_at', 'is', null)
        .on('interactions.expires_at', '>', now),
    )
    .select(qualified('interactions', INTERACTION_COLUMNS, INTERACTION_PREFIX));

const LOOK_UP = prepared(account);
const LOOK_UP_WITH_INTERACTION = prepared((db: Kysely<Database>, issuer: string, email: string, address: string, interactionId: string, now: number) =>
  withInteraction(account(db, issuer, email, address), interactionId, now, issuer),
);

/**
 * PostgreSQL: the reservation and the read in one statement (one round trip, as the read alone
 * was before reservations). The read runs on the statement's snapshot and never sees the rows
 * the reservation writes; the counts come from its RETURNING.
 */
const reservedCounts = (query: AccountQuery, account: string, address: string, pair: string): AccountQuery =>
  query.select((eb) => [
    eb
      .selectFrom('reserved' as never)
      .select(sql<number>`count`.as('count'))
      .where(sql.ref('key'), '=', account)
      .as('account_count'),
    eb
      .selectFrom('reserved' as never)
      .select(sql<number>`count`.as('count'))
      .where(sql.ref('key'), '=', address)
      .as('address_count'),
    eb
      .selectFrom('reserved' as never)
      .select(sql<number>`count`.as('count'))
      .where(sql.ref('key'), '=', pair)
      .as('pair_count'),
  ]) as never;

const withReservation = (db: Kysely<Database>, account: string, address: string, pair: string, now: number, stale: number): Kysely<Database> =>
  db.with('reserved', (qc) => reserve(qc, account, address, pair, now, stale)) as unknown as Kysely<Database>;

const reserveAndLookUp = (
  db: Kysely<Database>,
  issuer: string,
  email: string,
  addressMac: string,
  keys: [string, string, string],
  now: number,
  stale: number,
): AccountQuery => reservedCounts(account(withReservation(db, ...keys, now, stale), issuer, email, addressMac), ...keys);

const RESERVE_AND_LOOK_UP_POSTGRES = prepared(
  (db: Kysely<Database>, issuer: string, email: string, addressMac: string, account: string, address: string, pair: string, now: number, stale: number) =>
    reserveAndLookUp(db, issuer, email, addressMac, [account, address, pair], now, stale),
);
const RESERVE_AND_LOOK_UP_WITH_INTERACTION_POSTGRES = prepared(
  (
    db: Kysely<Database>,
    issuer: string,
    email: string,
    addressMac: string,
    account: string,
    address: string,
    pair: string,
    now: number,
    stale: number,
    interactionId: string,
    openAt: number,
  ) => withInteraction(reserveAndLookUp(db, issuer, email, addressMac, [account, address, pair], now, stale), interactionId, openAt, issuer),
);

/** Where a login lookup also reads the interaction: its id, and the time it must be open at. */
export interface InteractionToRead {
  id: string;
  now: number;
}

export interface LoginReservation<U> {
  user: U | undefined;
  /** Whether the account has signed in from this address before. */
  knownAddress: boolean;
  /** The counts in the current window, this attempt included. */
  counts: LoginCounts;
}

export interface ReserveLoginInput {
  email: string;
  keys: LoginKeys;
  /** The keyed hash of the client's address, as known addresses are stored. */
  addressMac: string;
  now: number;
  windowSeconds: number;
  interaction?: InteractionToRead;
}

/**
 * Reserves one password check against the three counters and reads the account (by normalized
 * email) with whether `addressMac` is one of its known addresses; with `interaction`, also that
 * interaction's row while it is open (null when it is not). One statement on PostgreSQL, two
 * on SQLite (which has no writes in WITH, and no round trips either).
 */
export async function reserveLogin(
  db: Kysely<Database>,
  issuer: string,
  input: ReserveLoginInput,
): Promise<LoginReservation<Selectable<UserTable>> & { interaction?: Selectable<InteractionTable> | null }> {
  const account = rateLimitKey(issuer, input.keys.account);
  const address = rateLimitKey(issuer, input.keys.address);
  const pair = rateLimitKey(issuer, input.keys.pair);
  const { now, interaction, email, addressMac } = input;
  const stale = now - input.windowSeconds;
  let row: Record<string, unknown> | undefined;
  let counts: LoginCounts;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    row = interaction
      ? await firstRow(
          db,
          RESERVE_AND_LOOK_UP_WITH_INTERACTION_POSTGRES(db, issuer, email, addressMac, account, address, pair, now, stale, interaction.id, interaction.now),
        )
      : await firstRow(db, RESERVE_AND_LOOK_UP_POSTGRES(db, issuer, email, addressMac, account, address, pair, now, stale));
    counts = { account: Number(row?.account_count), address: Number(row?.address_count), pair: Number(row?.pair_count) };
  } else {
    const reserved = (await db.executeQuery(RESERVE(db, account, address, pair, now, stale))).rows;
    const count = (key: string): number => Number(reserved.find((r) => r.key === key)?.count);
    counts = { account: count(account), address: count(address), pair: count(pair) };
    row = interaction
      ? await firstRow(db, LOOK_UP_WITH_INTERACTION(db, issuer, email, addressMac, interaction.id, interaction.now))
      : await firstRow(db, LOOK_UP(db, issuer, email, addressMac));
  }
  const found = {
    user: row?.id ? (row as Selectable<UserTable>) : undefined,
    knownAddress: Boolean(row?.id) && (row?.known_address === true || Number(row?.known_address) === 1),
    counts,
  };
  if (!interaction) return found;
  const open = row?.[`${INTERACTION_PREFIX}id`] ? (unprefixed(row, INTERACTION_PREFIX, INTERACTION_COLUMNS) as Selectable<InteractionTable>) : null;
  return { ...found, interaction: open };
}

import { type Kysely, type Selectable, sql } from 'kysely';
import { INTERACTION_COLUMNS, USER_COLUMNS, qualified, unprefixed } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import type { Database, InteractionTable, UserTable } from '../schema.js';
import { rateLimitKey } from './rate-limits.js';

const INTERACTION_PREFIX = 'i_';

/**
 * What a password login reads before it checks the password, in one statement (one round trip
 * on PostgreSQL, where it was three): the account by email, if any, and the failures counted in
 * the current window against the account's and the address's throttle keys.
 */
const lookUp = (db: Kysely<Database>, issuer: string, email: string, accountKey: string, addressKey: string, after: number) =>
  db
    .selectFrom(sql<{ one: number }>`(SELECT 1 AS one)`.as('anchor'))
    .leftJoin('users', (join) => join.on('users.issuer_id', '=', issuer).on('users.email', '=', email))
    .select(qualified('users', USER_COLUMNS))
    .select((eb) => [
      eb.selectFrom('rate_limits').select('count').where('key', '=', accountKey).where('window_start', '>', after).as('account_failures'),
      eb.selectFrom('rate_limits').select('count').where('key', '=', addressKey).where('window_start', '>', after).as('address_failures'),
    ]);

const LOOK_UP_LOGIN = prepared(lookUp);

/** The same, with the open interaction the sign-in form was posted to: the whole form in one read. */
const LOOK_UP_LOGIN_AND_INTERACTION = prepared(
  (db: Kysely<Database>, issuer: string, email: string, accountKey: string, addressKey: string, after: number, interactionId: string, now: number, interactionIssuer: string) =>
    lookUp(db, issuer, email, accountKey, addressKey, after)
      .leftJoin('interactions', (join) =>
        join
          .on('interactions.id', '=', interactionId)
          .on('interactions.issuer_id', '=', interactionIssuer)
          .on('interactions.completed_at', 'is', null)
          .on('interactions.expires_at', '>', now),
      )
    .select(qualified('interactions', INTERACTION_COLUMNS, INTERACTION_PREFIX)),
);

export interface LoginLookup<U> {
  user: U | undefined;
  accountFailures: number;
  addressFailures: number;
}

/** Where a login lookup also reads the interaction: its id, and the time it must be open at. */
export interface InteractionToRead {
  id: string;
  now: number;
}

/**
 * The account row (by normalized email) and both failure counts; counts are 0 outside the window.
 * With `interaction`, also that interaction's row while it is open (null when it is not).
 */
export async function lookUpLogin(
  db: Kysely<Database>,
  issuer: string,
  email: string,
  keys: { account: string; address: string },
  windowStart: number,
  interaction?: InteractionToRead,
): Promise<LoginLookup<Selectable<UserTable>> & { interaction?: Selectable<InteractionTable> | null }> {
  const accountKey = rateLimitKey(issuer, keys.account);
  const addressKey = rateLimitKey(issuer, keys.address);
  const row: Record<string, unknown> | undefined = interaction
    ? await firstRow(db, LOOK_UP_LOGIN_AND_INTERACTION(db, issuer, email, accountKey, addressKey, windowStart, interaction.id, interaction.now, issuer))
    : await firstRow(db, LOOK_UP_LOGIN(db, issuer, email, accountKey, addressKey, windowStart));
  const found = {
    user: row?.id ? (row as Selectable<UserTable>) : undefined,
    accountFailures: Number(row?.account_failures ?? 0),
    addressFailures: Number(row?.address_failures ?? 0),
  };
  if (!interaction) return found;
  const open = row?.[`${INTERACTION_PREFIX}id`] ? (unprefixed(row, INTERACTION_PREFIX, INTERACTION_COLUMNS) as Selectable<InteractionTable>) : null;
  return { ...found, interaction: open };
}

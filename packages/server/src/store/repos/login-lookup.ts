import { type Kysely, type Selectable, sql } from 'kysely';
import { USER_COLUMNS, qualified } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import type { Database, UserTable } from '../schema.js';

/**
 * What a password login reads before it checks the password, in one statement (one round trip
 * on PostgreSQL, where it was three): the account by email, if any, and the failures counted in
 * the current window against the account's and the address's throttle keys.
 */
const LOOK_UP_LOGIN = prepared((db: Kysely<Database>, email: string, accountKey: string, addressKey: string, after: number) =>
  db
    .selectFrom(sql<{ one: number }>`(SELECT 1 AS one)`.as('anchor'))
    .leftJoin('users', (join) => join.on('users.email', '=', email))
    .select(qualified('users', USER_COLUMNS))
    .select((eb) => [
      eb.selectFrom('rate_limits').select('count').where('key', '=', accountKey).where('window_start', '>', after).as('account_failures'),
      eb.selectFrom('rate_limits').select('count').where('key', '=', addressKey).where('window_start', '>', after).as('address_failures'),
    ]),
);

export interface LoginLookup<U> {
  user: U | undefined;
  accountFailures: number;
  addressFailures: number;
}

/** The account row (by normalized email) and both failure counts; counts are 0 outside the window. */
export async function lookUpLogin(db: Kysely<Database>, email: string, keys: { account: string; address: string }, windowStart: number): Promise<LoginLookup<Selectable<UserTable>>> {
  const row = await firstRow(db, LOOK_UP_LOGIN(db, email, keys.account, keys.address, windowStart));
  return {
    user: row?.id ? (row as Selectable<UserTable>) : undefined,
    accountFailures: Number(row?.account_failures ?? 0),
    addressFailures: Number(row?.address_failures ?? 0),
  };
}

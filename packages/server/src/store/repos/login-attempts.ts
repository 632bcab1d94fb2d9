import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { prepared } from '../prepared.js';
import type { Database } from '../schema.js';
import { type Interaction, toInteraction } from './interactions.js';
import { type InteractionToRead, type LoginCounts, type LoginKeys, reserveLogin } from './login-lookup.js';
import { rateLimitKey } from './rate-limits.js';
import { type User, normalizeEmail, toUser } from './users.js';

/**
 * Gives back reserved attempts: every key one less, or, after a right password, the pair's own
 * count cleared (the person at that address has shown they know the password). Never below 0;
 * a window that started over since the reservation only loses an attempt it did not count.
 */
const release = (db: Kysely<Database>, account: string, address: string, pair: string, clearPair: number) =>
  db
    .updateTable('rate_limits')
    .set({ count: sql<number>`case when key = ${pair} and ${clearPair} = 1 then 0 when count > 0 then count - 1 else 0 end` })
    .where('key', 'in', [account, address, pair]);

const RELEASE = prepared(release);

/** PostgreSQL: a first sign-in from an address clears its reservation and remembers it in one statement. */
const RELEASE_AND_REMEMBER_POSTGRES = prepared(
  (db: Kysely<Database>, account: string, address: string, pair: string, clearPair: number, issuer: string, userId: string, addressMac: string, now: number) =>
    db
      .with('released', () => release(db, account, address, pair, clearPair))
      .insertInto('known_login_addresses')
      .values({ issuer_id: issuer, user_id: userId, address: addressMac, created_at: now })
      .onConflict((oc) => oc.columns(['issuer_id', 'user_id', 'address']).doNothing()),
);

const REMEMBER = prepared((db: Kysely<Database>, issuer: string, userId: string, addressMac: string, now: number) =>
  db
    .insertInto('known_login_addresses')
    .values({ issuer_id: issuer, user_id: userId, address: addressMac, created_at: now })
    .onConflict((oc) => oc.columns(['issuer_id', 'user_id', 'address']).doNothing()),
);

const KNOWN = prepared((db: Kysely<Database>, issuer: string, userId: string) =>
  db.selectFrom('known_login_addresses').select('address').where('issuer_id', '=', issuer).where('user_id', '=', userId),
);

export interface ReservedLogin {
  user: User | undefined;
  knownAddress: boolean;
  counts: LoginCounts;
  interaction?: Interaction | null;
}

/**
 * Password checks reserved against the sign-in throttle's counters before they run, and given
 * back when they were not failures (auth/throttle.ts has the policy). Per issuer: the keys are
 * prefixed with it (rate-limits.ts), known addresses carry it.
 */
export class LoginAttemptRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /**
   * Counts one attempt against `keys` and reads the account by email, whether `addressMac` is
   * one of its known addresses, and (with `interaction`) that interaction while it is open.
   */
  async reserve(email: string, keys: LoginKeys, addressMac: string, windowSeconds: number, interaction?: InteractionToRead): Promise<ReservedLogin> {
    const found = await reserveLogin(this.db, this.issuer, {
      email: normalizeEmail(email),
      keys,
      addressMac,
      now: this.clock(),
      windowSeconds,
      ...(interaction ? { interaction } : {}),
    });
    const { interaction: open, ...rest } = found;
    return { ...rest, user: rest.user && toUser(rest.user), ...(open !== undefined ? { interaction: open && toInteraction(open) } : {}) };
  }

  /** An attempt that checked no password (refused, or its form was not valid): it never happened. */
  async cancel(keys: LoginKeys): Promise<void> {
    await this.db.executeQuery(RELEASE(this.db, ...this.stored(keys), 0));
  }

  /**
   * A right password: its reservation given back, the pair cleared, and the address remembered
   * as known to the account unless it already was. One statement either way on PostgreSQL.
   */
  async succeeded(keys: LoginKeys, userId: string, addressMac: string, knownAddress: boolean): Promise<void> {
    const stored = this.stored(keys);
    if (knownAddress) {
      await this.db.executeQuery(RELEASE(this.db, ...stored, 1));
    } else if (this.db.getExecutor().adapter instanceof PostgresAdapter) {
      await this.db.executeQuery(RELEASE_AND_REMEMBER_POSTGRES(this.db, ...stored, 1, this.issuer, userId, addressMac, this.clock()));
    } else {
      await this.db.executeQuery(RELEASE(this.db, ...stored, 1));
      await this.db.executeQuery(REMEMBER(this.db, this.issuer, userId, addressMac, this.clock()));
    }
  }

  /** The keyed hashes of the addresses `userId` has signed in from. */
  async knownAddresses(userId: string): Promise<string[]> {
    return (await this.db.executeQuery(KNOWN(this.db, this.issuer, userId))).rows.map((r) => r.address);
  }

  /** Counts the keys hold in the current window (0 for none), for the throttle's tests and tools. */
  async counts(keys: LoginKeys, windowSeconds: number): Promise<LoginCounts> {
    const stale = this.clock() - windowSeconds;
    const [account, address, pair] = this.stored(keys);
    const rows = await this.db
      .selectFrom('rate_limits')
      .select(['key', 'count'])
      .where('key', 'in', [account, address, pair])
      .where('window_start', '>', stale)
      .execute();
    const count = (key: string): number => Number(rows.find((r) => r.key === key)?.count ?? 0);
    return { account: count(account), address: count(address), pair: count(pair) };
  }

  private stored(keys: LoginKeys): [string, string, string] {
    return [rateLimitKey(this.issuer, keys.account), rateLimitKey(this.issuer, keys.address), rateLimitKey(this.issuer, keys.pair)];
  }
}

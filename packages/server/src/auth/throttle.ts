import type { IssuerScope } from '../issuers/scope.js';
import type { Interaction } from '../store/repos/interactions.js';
import type { LoginKeys } from '../store/repos/login-lookup.js';
import { type User, normalizeEmail } from '../store/repos/users.js';

/** One address may fail this many times the per-pair allowance, over every account, per window. */
export const ADDRESS_FACTOR = 5;
/** One account may fail this many times the per-pair allowance, over every address, per window. */
export const ACCOUNT_FACTOR = 5;

/**
 * Why an attempt gets no password check. `account` is the only one a person can meet without
 * having failed from their own address: a distributed guess at the account from many addresses.
 * Known addresses never meet it; an unknown one is where a proof-of-work challenge will let a
 * person through instead of making them wait (see `challengeAllows` below).
 */
export type ThrottleReason = 'pair' | 'address' | 'account';

/** A password check reserved, or refused, before the password is looked at. */
export interface LoginAttempt {
  user: User | undefined;
  /** Undefined when the password may be checked; otherwise why not (nothing stays counted). */
  refused: ThrottleReason | undefined;
  interaction?: Interaction | null;
  /** The address's failures over every account in this window, this attempt included (the proof-of-work threshold reads it). */
  addressFailures: number;
  /** A right password: gives the reservation back and remembers the address for the account. */
  succeeded(userId: string): Promise<void>;
  /** No password was checked after all (the form did not verify): the attempt is not counted. */
  cancel(): Promise<void>;
}

/**
 * The sign-in throttle (docs/production.md, "Sign-in throttle"), shared by every instance
 * through the database. Every password check is reserved before it runs, atomically, against
 * three fixed-window counters:
 *
 * - the account from this address: `maxFailures` per window;
 * - the account from every address: `ACCOUNT_FACTOR` times that, except for addresses the
 *   account has signed in from before, so one guessing address does not lock the owner out;
 * - the address for every account: `ADDRESS_FACTOR` times that (a shared office or carrier NAT).
 *
 * An attempt over a limit is not counted and checks no password; a failed check stays counted;
 * a right password gives its reservation back (and clears the pair). However many attempts run
 * at once, at most the limit of them get a password check in a window.
 */
export class LoginThrottle {
  constructor(private readonly scope: IssuerScope) {}

  private keys(email: string, ip: string): LoginKeys {
    const account = normalizeEmail(email).slice(0, 320);
    const address = ip.slice(0, 64);
    return {
      account: `login:acct:${account}`,
      address: `login:ip:${address}`,
      // Hashed: an email and an address together would not fit the key column.
      pair: `login:pair:${this.scope.services.box.mac(`${account}\0${address}`, 'login-pair')}`,
    };
  }

  /** How known addresses are stored: keyed by the master secret, so a database copy does not list them. */
  addressMac(ip: string): string {
    return this.scope.services.box.mac(ip.slice(0, 64), `login-address/${this.scope.id}`);
  }

  /**
   * Reserves a password check for `email` from `ip`, reading the account (and, with
   * `interactionId`, the interaction while it is open, null when it is not) in the same
   * statement on PostgreSQL: the sign-in form's POST still reads the database once.
   */
  async reserve(email: string, ip: string, interactionId?: string, options: { solvedChallenge?: boolean } = {}): Promise<LoginAttempt> {
    const { maxFailures, windowSeconds } = this.scope.settings.login;
    const { loginAttempts } = this.scope.repos;
    const keys = this.keys(email, ip);
    const addressMac = this.addressMac(ip);
    const interaction = interactionId === undefined ? undefined : { id: interactionId, now: this.scope.services.clock() };
    const found = await loginAttempts.reserve(email, keys, addressMac, windowSeconds, interaction);
    const { counts, knownAddress } = found;
    let refused: ThrottleReason | undefined;
    if (counts.pair > maxFailures) refused = 'pair';
    else if (counts.address > maxFailures * ADDRESS_FACTOR) refused = 'address';
    else if (counts.account > maxFailures * ACCOUNT_FACTOR && !knownAddress && !challengeAllows(options.solvedChallenge)) refused = 'account';
    // A refused attempt checks nothing, so it counts for nothing: hammering a locked pair must
    // not push the account's own ceiling up against its owner.
    if (refused) await loginAttempts.cancel(keys);
    let settled = refused !== undefined;
    const once = async (fn: () => Promise<void>): Promise<void> => {
      if (settled) return;
      settled = true;
      await fn();
    };
    return {
      user: found.user,
      refused,
      addressFailures: counts.address,
      ...(found.interaction !== undefined ? { interaction: found.interaction } : {}),
      succeeded: (userId) => once(() => loginAttempts.succeeded(keys, userId, addressMac, knownAddress)),
      cancel: () => once(() => loginAttempts.cancel(keys)),
    };
  }
}

/**
 * The proof-of-work challenge of unknown addresses (abuse/proof-of-work.ts): an address that
 * sent a solved one passes the account-wide ceiling, so a distributed guess at an account does
 * not lock its owner out of a new browser; the pair and address limits still hold. (The caller
 * spends the solution once the form has verified; a spent one then refuses the attempt.)
 */
function challengeAllows(solved: boolean | undefined): boolean {
  return solved === true;
}

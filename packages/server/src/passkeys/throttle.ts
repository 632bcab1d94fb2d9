import { ADDRESS_FACTOR } from '../auth/throttle.js';
import type { IssuerScope } from '../issuers/scope.js';

/**
 * Limits passkey sign-in attempts as the password form is limited (the issuer's
 * `login.maxFailures` per `login.windowSeconds`): per interaction every attempt counts (an
 * interaction that signs in ends, so only failures add up there), and per client address the
 * failures count, with the password throttle's allowance for a shared address. An assertion
 * cannot be guessed, but each one costs a signature check and a database round, and a flood of
 * replayed or forged ones is refused before either.
 */
export class PasskeyThrottle {
  private readonly interactionKey: string;
  private readonly addressKey: string;

  constructor(
    private readonly scope: IssuerScope,
    interactionId: string,
    ip: string,
  ) {
    this.interactionKey = `passkey:ix:${interactionId}`;
    this.addressKey = `passkey:ip:${ip.slice(0, 64)}`;
  }

  /** Counts this attempt; false when the interaction or the address is over its limit (nothing is verified then). */
  async allow(): Promise<boolean> {
    const { maxFailures, windowSeconds } = this.scope.settings.login;
    const { rateLimits } = this.scope.repos;
    if ((await rateLimits.count(this.addressKey, windowSeconds)) >= maxFailures * ADDRESS_FACTOR) return false;
    return (await rateLimits.hit(this.interactionKey, windowSeconds)) <= maxFailures;
  }

  /** A failed attempt also counts against the address. */
  async failed(): Promise<void> {
    await this.scope.repos.rateLimits.hit(this.addressKey, this.scope.settings.login.windowSeconds);
  }
}

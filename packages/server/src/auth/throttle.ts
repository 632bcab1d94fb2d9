import type { IssuerScope } from '../issuers/scope.js';
import type { Interaction } from '../store/repos/interactions.js';
import { type User, normalizeEmail } from '../store/repos/users.js';

/**
 * Failed-login counters, kept in the database so every instance sees them. A shared address
 * (an office, a carrier NAT) gets five times the per-account allowance before it is slowed.
 */
export class LoginThrottle {
  constructor(private readonly scope: IssuerScope) {}

  private keys(email: string, ip: string): { account: string; address: string } {
    return { account: `login:acct:${normalizeEmail(email).slice(0, 320)}`, address: `login:ip:${ip.slice(0, 64)}` };
  }

  /**
   * The account behind `email` (if any) and whether this account or address has failed too
   * often in the current window, read together; `accountFailures` tells whether a success has
   * failures to clear (one write less when there are none). With `interactionId`, the same read
   * also brings that interaction while it is open (null when it is not): the sign-in form's
   * POST then reads the database once.
   */
  async check(email: string, ip: string, interactionId?: string): Promise<{ user: User | undefined; blocked: boolean; accountFailures: number; interaction?: Interaction | null }> {
    const { maxFailures, windowSeconds } = this.scope.settings.login;
    const keys = this.keys(email, ip);
    const now = this.scope.services.clock();
    const found = await this.scope.repos.users.findForLogin(email, keys, now - windowSeconds, interactionId === undefined ? undefined : { id: interactionId, now });
    return {
      user: found.user,
      blocked: found.accountFailures >= maxFailures || found.addressFailures >= maxFailures * 5,
      accountFailures: found.accountFailures,
      ...(found.interaction !== undefined ? { interaction: found.interaction } : {}),
    };
  }

  async failed(email: string, ip: string): Promise<void> {
    const { windowSeconds } = this.scope.settings.login;
    const keys = this.keys(email, ip);
    await this.scope.repos.rateLimits.hit(keys.account, windowSeconds);
    await this.scope.repos.rateLimits.hit(keys.address, windowSeconds);
  }

  async succeeded(email: string): Promise<void> {
    await this.scope.repos.rateLimits.reset(this.keys(email, '').account);
  }
}

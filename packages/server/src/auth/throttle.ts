import type { Services } from '../services.js';
import { normalizeEmail } from '../store/repos/users.js';

/**
 * Failed-login counters, kept in the database so every instance sees them. A shared address
 * (an office, a carrier NAT) gets five times the per-account allowance before it is slowed.
 */
export class LoginThrottle {
  constructor(private readonly services: Services) {}

  private keys(email: string, ip: string): { account: string; ip: string } {
    return { account: `login:acct:${normalizeEmail(email).slice(0, 320)}`, ip: `login:ip:${ip.slice(0, 64)}` };
  }

  /**
   * Whether this account or address has failed too often in the current window, and how many
   * failures the account has (a success clears them only if there are any: one write less).
   */
  async check(email: string, ip: string): Promise<{ blocked: boolean; accountFailures: number }> {
    const { maxFailures, windowSeconds } = this.services.config.login;
    const keys = this.keys(email, ip);
    const [account, address] = await Promise.all([
      this.services.repos.rateLimits.count(keys.account, windowSeconds),
      this.services.repos.rateLimits.count(keys.ip, windowSeconds),
    ]);
    return { blocked: account >= maxFailures || address >= maxFailures * 5, accountFailures: account };
  }

  async failed(email: string, ip: string): Promise<void> {
    const { windowSeconds } = this.services.config.login;
    const keys = this.keys(email, ip);
    await this.services.repos.rateLimits.hit(keys.account, windowSeconds);
    await this.services.repos.rateLimits.hit(keys.ip, windowSeconds);
  }

  async succeeded(email: string): Promise<void> {
    await this.services.repos.rateLimits.reset(this.keys(email, '').account);
  }
}

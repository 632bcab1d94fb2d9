import type { Context } from 'hono';
import { clientIp } from '../http/client-ip.js';
import { logSecurityEvent } from '../http/request-log.js';
import type { IssuerScope } from '../issuers/scope.js';

/** Failed second-factor attempts allowed per user in a window, over every interaction and browser. */
export const FACTOR_MAX_FAILURES_PER_USER = 5;
/** Failed attempts allowed in one interaction: a second tab or a replay gets no more than the first. */
export const FACTOR_MAX_FAILURES_PER_INTERACTION = 5;
/** The window, seconds: a lockout lifts when it ends (never permanent). */
export const FACTOR_WINDOW_SECONDS = 15 * 60;

export type FactorLimit = 'user' | 'interaction';

/** An attempt reserved, or refused before any code was looked at. */
export interface FactorAttempt {
  /** Undefined when the answer may be checked; otherwise which limit was reached. */
  refused: FactorLimit | undefined;
  /** The answer was right: the user's failures are forgiven (the interaction's are not). */
  succeeded(): Promise<void>;
  /** The answer was wrong: the reservation stays counted; logged and recorded. */
  failed(): Promise<void>;
}

/**
 * Second-factor attempts (TOTP, recovery codes, every kind alike), counted in the issuer's
 * rate_limits rows so every instance sees the same count. Each attempt is reserved before its
 * answer is checked, per user and per interaction, in fixed windows: once either count passes its
 * limit no answer is checked until the window ends, so six digits cannot be brute forced (five
 * guesses per quarter hour) and the owner is never locked out for good.
 */
export class FactorThrottle {
  constructor(
    private readonly c: Context,
    private readonly scope: IssuerScope,
  ) {}

  async reserve(userId: string, interactionId: string, factor: string): Promise<FactorAttempt> {
    const { rateLimits } = this.scope.repos;
    const userKey = `mfa:user:${userId}`;
    const interactionKey = `mfa:ix:${interactionId}`;
    const userCount = await rateLimits.hit(userKey, FACTOR_WINDOW_SECONDS);
    const interactionCount = await rateLimits.hit(interactionKey, FACTOR_WINDOW_SECONDS);
    let refused: FactorLimit | undefined;
    if (userCount > FACTOR_MAX_FAILURES_PER_USER) refused = 'user';
    else if (interactionCount > FACTOR_MAX_FAILURES_PER_INTERACTION) refused = 'interaction';
    const address = clientIp(this.c, this.scope.services.config.trustProxy);
    if (refused) {
      logSecurityEvent(this.c, 'warn', 'mfa_locked', { user: userId, factor, limit: refused });
      await this.scope.repos.events.record({
        type: 'mfa.locked',
        userId,
        address,
        payload: { factor, limit: refused, seconds: FACTOR_WINDOW_SECONDS },
      });
    }
    return {
      refused,
      succeeded: () => rateLimits.reset(userKey),
      failed: async () => {
        // Never the code: only who, which factor, and from where.
        logSecurityEvent(this.c, 'warn', 'mfa_failed', { user: userId, factor });
        await this.scope.repos.events.record({ type: 'mfa.failed', userId, address, payload: { factor } });
      },
    };
  }
}

/** Minutes a lockout can last, for the message. */
export function lockoutMinutes(): number {
  return Math.ceil(FACTOR_WINDOW_SECONDS / 60);
}

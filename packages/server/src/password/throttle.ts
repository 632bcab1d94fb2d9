import type { IssuerScope } from '../issuers/scope.js';
import { normalizeEmail } from '../store/repos/users.js';

const WINDOW_SECONDS = 3600;
/** Links one address may be sent per window: enough for a lost mail or two, too few to flood. */
const PER_EMAIL = 3;
/** Requests one client address may make per window, whatever the emails. */
const PER_CLIENT = 20;

/**
 * Limits "Forgot your password?" requests, in the rate_limits table the login throttle uses, so
 * every instance counts the same. Every request counts, whether or not the email has an
 * account, so being limited tells nothing about who has one.
 */
export async function resetRequestAllowed(scope: IssuerScope, email: string, ip: string): Promise<boolean> {
  const { rateLimits } = scope.repos;
  if ((await rateLimits.hit(`reset:ip:${ip.slice(0, 64)}`, WINDOW_SECONDS)) > PER_CLIENT) return false;
  return (await rateLimits.hit(`reset:acct:${normalizeEmail(email).slice(0, 320)}`, WINDOW_SECONDS)) <= PER_EMAIL;
}

/** The window, in minutes, for the page that says to wait. */
export const RESET_WINDOW_MINUTES = WINDOW_SECONDS / 60;

import type { Context } from 'hono';
import { clientIp } from '../http/client-ip.js';
import { logSecurityEvent } from '../http/request-log.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { SignInResult } from '../metrics.js';

/**
 * The outcome of a sign-in's password check, counted (gatehouse_sign_ins_total) and, when it
 * failed, logged as a security event with its reason: sign_in_failed (unknown_account,
 * wrong_password, disabled) or sign_in_throttled (which limit: pair, address, account), and
 * recorded as the events sign_in.failed and sign_in.throttled.
 */
export async function signInOutcome(c: Context, scope: IssuerScope, result: SignInResult, fields: { user?: string; reason?: string } = {}): Promise<void> {
  scope.services.metrics.signIn(scope.id, result);
  if (result === 'success') return;
  // In the audit log too (the console's overview counts them), with the caller's address.
  const address = clientIp(c, scope.services.config.trustProxy);
  if (result === 'throttled') {
    logSecurityEvent(c, 'warn', 'sign_in_throttled', { user: fields.user, reason: fields.reason });
    await scope.repos.events.record({ type: 'sign_in.throttled', userId: fields.user ?? null, address, payload: { limit: fields.reason ?? 'unknown' } });
  } else {
    logSecurityEvent(c, 'warn', 'sign_in_failed', { user: fields.user, reason: result });
    await scope.repos.events.record({ type: 'sign_in.failed', userId: fields.user ?? null, address, payload: { reason: result } });
  }
}

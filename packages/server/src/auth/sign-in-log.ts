import type { Context } from 'hono';
import { logSecurityEvent } from '../http/request-log.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { SignInResult } from '../metrics.js';

/**
 * The outcome of a sign-in's password check, counted (gatehouse_sign_ins_total) and, when it
 * failed, logged as a security event with its reason: sign_in_failed (unknown_account,
 * wrong_password, disabled) or sign_in_throttled (which limit: pair, address, account).
 */
export function signInOutcome(c: Context, scope: IssuerScope, result: SignInResult, fields: { user?: string; reason?: string } = {}): void {
  scope.services.metrics.signIn(scope.id, result);
  if (result === 'success') return;
  if (result === 'throttled') logSecurityEvent(c, 'warn', 'sign_in_throttled', { user: fields.user, reason: fields.reason });
  else logSecurityEvent(c, 'warn', 'sign_in_failed', { user: fields.user, reason: result });
}

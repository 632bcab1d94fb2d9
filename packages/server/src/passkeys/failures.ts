import type { Context } from 'hono';
import { clientIp } from '../http/client-ip.js';
import { logSecurityEvent } from '../http/request-log.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { CeremonyFailure } from './ceremonies.js';

/**
 * A passkey assertion that did not verify: logged as a security event and recorded as
 * `passkey.used_failed` (the account's activity and the audit log show it), with why and, when
 * the credential was known, whose it was. Nothing of the assertion itself is kept.
 */
export async function passkeyFailed(
  c: Context,
  scope: IssuerScope,
  purpose: 'login' | 'mfa',
  reason: CeremonyFailure | 'throttled',
  userId?: string,
): Promise<void> {
  logSecurityEvent(c, 'warn', 'passkey_failed', { user: userId, reason, purpose });
  await scope.repos.events.record({
    type: 'passkey.used_failed',
    userId: userId ?? null,
    address: clientIp(c, scope.services.config.trustProxy),
    payload: { reason, purpose },
  });
}

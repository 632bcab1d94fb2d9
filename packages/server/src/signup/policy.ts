import type { IssuerScope } from '../issuers/scope.js';

/**
 * Whether people may create accounts themselves at this issuer: its `signUp` setting is `open`
 * and mail is configured (an address that cannot be mailed cannot be verified, so without
 * mail there is no sign-up whatever the setting says).
 */
export function signUpOpen(scope: IssuerScope): boolean {
  return scope.settings.signUp === 'open' && scope.services.outbox !== undefined;
}

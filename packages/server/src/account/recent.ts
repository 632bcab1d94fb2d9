import type { IssuerScope } from '../issuers/scope.js';
import type { Session } from '../store/repos/sessions.js';

/** How recent a sign-in must be to add or remove a factor, change the email or close the account. */
export const RECENT_SIGN_IN_SECONDS = 5 * 60;

/** Whether the session's user proved who they are within the last five minutes. */
export function signedInRecently(scope: IssuerScope, session: Pick<Session, 'authTime'>): boolean {
  return scope.services.clock() - session.authTime <= RECENT_SIGN_IN_SECONDS;
}

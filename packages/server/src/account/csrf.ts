import { PageError } from '../errors.js';
import { say } from '../pages/translator.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Session } from '../store/repos/sessions.js';
import { safeEqual } from '../tokens/random.js';

const LABEL = 'account-csrf';

/**
 * The account page's CSRF token, carried in a hidden `csrf` field and compared in constant time,
 * as the sign-in and consent forms do. Theirs is a random value stored with the interaction;
 * this page has no interaction, so the secret is the session's: a keyed hash of the session id
 * (the hash of the session cookie, never shown anywhere). Another site can neither read nor
 * compute it, it changes with every sign-in and dies with the session.
 */
export function accountCsrfToken(scope: IssuerScope, session: Session): string {
  return scope.services.box.mac(session.id, LABEL);
}

/** Refuses a form post whose token is missing or not this session's (403, nothing changed). */
export function checkAccountCsrf(scope: IssuerScope, session: Session, presented: string | null): void {
  if (presented === null || !safeEqual(presented, accountCsrfToken(scope, session))) {
    throw new PageError(say('form.unverified'), { status: 403 });
  }
}

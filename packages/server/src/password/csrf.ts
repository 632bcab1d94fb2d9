import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { say } from '../pages/translator.js';
import type { IssuerScope } from '../issuers/scope.js';
import { randomToken, safeEqual } from '../tokens/random.js';

const LABEL = 'password-form-csrf';
// Long enough to fill in a form after reading the mail; each page view renews it.
const COOKIE_SECONDS = 3600;
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The CSRF token of the password-reset forms. They have no session and no interaction to hold a
 * secret, so the browser gets one of its own: a random cookie scoped to /password, and the form
 * carries a keyed hash of it (as the account page's token is one of its session id). Another
 * site can make the browser send the cookie but can neither read it nor compute the hash.
 */
export function passwordFormCsrf(c: Context, scope: IssuerScope): string {
  let secret = scope.cookies.getPasswordForm(c);
  if (secret === undefined || !COOKIE_VALUE.test(secret)) secret = randomToken(32);
  scope.cookies.setPasswordForm(c, secret, COOKIE_SECONDS);
  return scope.services.box.mac(secret, LABEL);
}

/** Refuses a form post whose token is missing or not this browser's (403, nothing done). */
export function checkPasswordFormCsrf(c: Context, scope: IssuerScope, presented: string | undefined): void {
  const secret = scope.cookies.getPasswordForm(c);
  if (secret === undefined || presented === undefined || !COOKIE_VALUE.test(secret) || !safeEqual(presented, scope.services.box.mac(secret, LABEL))) {
    throw new PageError(say('form.unverifiedCookies'), { status: 403 });
  }
}

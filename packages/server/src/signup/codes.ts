import { randomInt } from 'node:crypto';
import type { IssuerScope } from '../issuers/scope.js';
import { randomToken, safeEqual, sha256 } from '../tokens/random.js';

const CODE_LABEL = 'email-verification-code';
const LINK_FORM_LABEL = 'email-verification-link-form';

/** A six-digit code, uniform over 000000–999999. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A link's secret: 256 random bits. */
export function newLinkToken(): string {
  return randomToken(32);
}

/**
 * What is stored of a code: a keyed hash bound to its verification. A plain hash of six digits
 * would be undone by trying the million of them; this one needs the deployment's secret.
 */
export function codeHash(scope: IssuerScope, verificationId: string, code: string): string {
  return scope.services.box.mac(`${scope.id}:${verificationId}:${code}`, CODE_LABEL);
}

/** Whether `presented` is the code whose hash is `stored` (null: no code was ever sent). */
export function codeMatches(scope: IssuerScope, verificationId: string, presented: string, stored: string | null): boolean {
  if (stored === null || !/^\d{6}$/.test(presented)) return false;
  return safeEqual(codeHash(scope, verificationId, presented), stored);
}

/** What is stored of a link's token. */
export function linkTokenHash(token: string): string {
  return sha256(token);
}

// Tokens are 256-bit base64url (randomToken(32)); anything else is no token, not a lookup.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function isLinkToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * The CSRF token of a link's confirm form: a keyed hash of the link's token. The link may be
 * opened in a browser with no session or sign-in of its own to hold a secret; another site can
 * make a browser post the form only if it knows the token, which is the proof itself. The form
 * is there so that a mail scanner fetching the link (GET) spends nothing.
 */
export function linkFormCsrf(scope: IssuerScope, token: string): string {
  return scope.services.box.mac(token, LINK_FORM_LABEL);
}

export function linkFormCsrfMatches(scope: IssuerScope, token: string, presented: string | null): boolean {
  return presented !== null && safeEqual(presented, linkFormCsrf(scope, token));
}

/** The code's input as typed: spaces and dashes people add are dropped. */
export function typedCode(value: string | null): string {
  return (value ?? '').replace(/[\s-]/g, '').slice(0, 12);
}

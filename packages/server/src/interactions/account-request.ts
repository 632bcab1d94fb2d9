import type { Locale } from '../pages/locales.js';

/**
 * What an account sign-in interaction stores where an OAuth one stores its authorization request:
 * a marker and at most a language. It names no client and holds no URL, so there is nothing in it a
 * request could point somewhere: the sign-in always ends on the fixed account page.
 */
export interface AccountSignIn {
  purpose: 'account';
  /** The language the account page was opened in, if one was asked for (ui_locales). */
  uiLocale?: Locale | undefined;
}

export const ACCOUNT_SIGN_IN: AccountSignIn = { purpose: 'account' };

/**
 * Stored params that mark an account sign-in. An authorization request is built field by field
 * from validated parameters (authorize/validate.ts) and has no `purpose`, so it never matches.
 */
export function isAccountSignIn(params: unknown): params is AccountSignIn {
  return typeof params === 'object' && params !== null && (params as { purpose?: unknown }).purpose === 'account';
}

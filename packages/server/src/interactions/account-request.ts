import type { AccountReturnPath } from '../account/paths.js';
import type { Locale } from '../pages/locales.js';

/**
 * What an account sign-in interaction stores where an OAuth one stores its authorization request:
 * a marker, at most a language and which of the fixed account pages to come back to. It names no
 * client and holds no URL, so there is nothing in it a request could point somewhere: the sign-in
 * always ends on one of the fixed account paths.
 */
export interface AccountSignIn {
  purpose: 'account';
  /** The language the account page was opened in, if one was asked for (ui_locales). */
  uiLocale?: Locale | undefined;
  /**
   * The account page to come back to (account/paths.ts ACCOUNT_RETURN_PATHS, checked again when
   * the sign-in ends); none: the account home.
   */
  returnTo?: AccountReturnPath | undefined;
}

export const ACCOUNT_SIGN_IN: AccountSignIn = { purpose: 'account' };

/**
 * Stored params that mark an account sign-in. An authorization request is built field by field
 * from validated parameters (authorize/validate.ts) and has no `purpose`, so it never matches.
 */
export function isAccountSignIn(params: unknown): params is AccountSignIn {
  return typeof params === 'object' && params !== null && (params as { purpose?: unknown }).purpose === 'account';
}

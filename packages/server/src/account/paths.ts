/**
 * The account pages' addresses. They are constants on purpose: the account sign-in redirects to
 * one of ACCOUNT_RETURN_PATHS and to nothing taken from a request as it is, so it cannot be
 * made an open redirect.
 */
export const ACCOUNT_HOME_PATH = '/account';
export const ACCOUNT_APPS_PATH = '/account/apps';
export const REMOVE_ACCESS_PATH = '/account/apps/remove';
/** POST: takes one permission (scope) from an app (account/remove-scope.ts). */
export const REMOVE_SCOPE_PATH = '/account/apps/remove-scope';
export const CHANGE_PASSWORD_PATH = '/account/password';
export const ACCOUNT_SECURITY_PATH = '/account/security';
export const ACCOUNT_SESSIONS_PATH = '/account/sessions';
export const END_SESSION_PATH = '/account/sessions/end';
export const END_OTHER_SESSIONS_PATH = '/account/sessions/end-others';
export const ACCOUNT_ACTIVITY_PATH = '/account/activity';
export const CLOSE_ACCOUNT_PATH = '/account/close';
/** The email change page (helper "signup" builds it); the account pages only link to it. */
export const CHANGE_EMAIL_PATH = '/account/email';
/** The factor pages under the security page, which a fresh sign-in may come back to. */
export const PASSKEYS_PAGE_PATH = '/account/security/passkeys';
export const WALLETS_PAGE_PATH = '/account/security/wallets';
/** POST: a fresh sign-in (password again) that comes back to one of ACCOUNT_RETURN_PATHS. */
export const REAUTH_PATH = '/account/reauth';

/** The pages an account sign-in (or a fresh sign-in) may come back to: these, compared exactly. */
export const ACCOUNT_RETURN_PATHS = [
  ACCOUNT_HOME_PATH,
  ACCOUNT_APPS_PATH,
  CHANGE_PASSWORD_PATH,
  ACCOUNT_SECURITY_PATH,
  ACCOUNT_SESSIONS_PATH,
  ACCOUNT_ACTIVITY_PATH,
  CLOSE_ACCOUNT_PATH,
  CHANGE_EMAIL_PATH,
  PASSKEYS_PAGE_PATH,
  WALLETS_PAGE_PATH,
] as const;

export type AccountReturnPath = (typeof ACCOUNT_RETURN_PATHS)[number];

/**
 * `value` as one of the fixed return paths, or undefined: an exact match only, so no URL,
 * no `//host`, no query and no look-alike (`/account/../x`, `/account/security/`) gets through.
 */
export function accountReturnPath(value: unknown): AccountReturnPath | undefined {
  return typeof value === 'string' ? ACCOUNT_RETURN_PATHS.find((path) => path === value) : undefined;
}

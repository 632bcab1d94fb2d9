/** The account security page's factor routes (fixed paths: nothing from a request picks a redirect). */
export const FACTORS_PAGE_PATH = '/account/security/totp';
export const TOTP_START_PATH = '/account/security/totp/start';
export const TOTP_CONFIRM_PATH = '/account/security/totp/confirm';
export const TOTP_REMOVE_PATH = '/account/security/totp/remove';
export const RECOVERY_GENERATE_PATH = '/account/security/recovery/generate';
/**
 * The fresh sign-in a factor change needs when the last one is older than five minutes. The
 * "account" work builds it (POST, the account CSRF token); until it is on main, this is its path.
 */
export const REAUTH_PATH = '/account/reauth';

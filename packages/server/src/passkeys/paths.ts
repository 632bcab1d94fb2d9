/** The passkeys' account pages: fixed paths, so nothing redirects anywhere a request names. */
export const PASSKEYS_PATH = '/account/security/passkeys';
export const ADD_PASSKEY_PATH = '/account/security/passkeys/add';
export const REMOVE_PASSKEY_PATH = '/account/security/passkeys/remove';
export const RENAME_PASSKEY_PATH = '/account/security/passkeys/rename';
/**
 * "Add a passkey?" right after sign-up: the sign-up redirects here once the new account's
 * session exists, with `?next=<interaction id>` to go on with the app's sign-in afterwards.
 */
export const OFFER_PASSKEY_PATH = '/account/security/passkeys/offer';
/** Where a stale sign-in is sent to prove itself again (built by the account work, not here). */
export const REAUTH_PATH = '/account/reauth';

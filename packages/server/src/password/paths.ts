/**
 * The password-reset pages' addresses, fixed: the mailed link is built from the issuer and
 * RESET_PATH alone, never from a request.
 */
export const FORGOT_PATH = '/password/forgot';
export const RESET_PATH = '/password/reset';

/** How long a mailed link works. */
export const RESET_LINK_TTL = 30 * 60;

/**
 * The account pages' addresses. They are constants on purpose: the account sign-in redirects to
 * ACCOUNT_APPS_PATH and to nothing taken from a request, so it cannot be made an open redirect.
 */
export const ACCOUNT_APPS_PATH = '/account/apps';
export const REMOVE_ACCESS_PATH = '/account/apps/remove';
export const CHANGE_PASSWORD_PATH = '/account/password';

/**
 * The sign-up and email pages' addresses, fixed: a mailed link is built from the issuer and
 * these alone, never from a request. A sign-up lives inside a sign-in (an app's, or the account
 * page's), so its pages are under that sign-in's /interaction/<uid>, where its cookie is sent.
 */
export const SIGNUP_PATH = '/signup';
export const signUpPath = (uid: string): string => `/interaction/${uid}/signup`;
export const signUpCodePath = (uid: string): string => `/interaction/${uid}/signup/code`;
export const signUpVerifyPath = (uid: string): string => `/interaction/${uid}/signup/verify`;

export const EMAIL_CHANGE_PATH = '/account/email';
export const EMAIL_CHANGE_CODE_PATH = '/account/email/code';
export const EMAIL_CHANGE_VERIFY_PATH = '/account/email/verify';

/** How long a mailed code and link work: 15 minutes from the mail. */
export const VERIFICATION_TTL = 15 * 60;

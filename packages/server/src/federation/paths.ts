/**
 * Federation's addresses, relative to the issuer. `/signin/{provider}` starts a sign-in at the
 * provider from a plain link; its callback (the redirect URI to register at the provider) is
 * `/signin/{provider}/callback`, one per provider so a response can only be taken for the
 * provider it was meant for. The login page's buttons post to the interaction's own path.
 */
export const signInPath = (provider: string): string => `/signin/${provider}`;
export const callbackPath = (provider: string): string => `/signin/${provider}/callback`;
export const upstreamStartPath = (uid: string): string => `/interaction/${uid}/upstream`;
export const linkPath = (uid: string): string => `/interaction/${uid}/upstream/link`;

/** How long a sign-in at the provider may take, from the redirect there to the callback (and a pending link). */
export const FLOW_TTL = 600;

/** POST from the account security page: unlink one of the user's linked identities. */
export const UNLINK_PATH = '/account/security/linked/unlink';

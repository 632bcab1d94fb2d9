import type { IssuerScope } from '../issuers/scope.js';

/**
 * The WebAuthn relying party of an issuer. The RP ID is the issuer URL's host: WebAuthn scopes
 * credentials to a host (a registrable domain suffix of it), not to a path, so two issuers at
 * `/a` and `/b` of one host share an RP ID; their credentials are still stored and looked up per
 * issuer (repos/passkeys.ts), so one issuer's passkey signs no one in at the other. The expected
 * origin is the issuer URL's origin: an assertion made on any other page is refused.
 */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export function relyingParty(scope: IssuerScope): RelyingParty {
  const url = new URL(scope.url);
  return { id: url.hostname, origin: url.origin, name: scope.settings.brand.name };
}

/** How long a challenge may wait for the authenticator: long enough for a person, short enough to be worthless later. */
export const CHALLENGE_TTL_SECONDS = 5 * 60;
/** What the browser is told to wait (ms); a little under the challenge's life. */
export const CEREMONY_TIMEOUT_MS = 4 * 60 * 1000;

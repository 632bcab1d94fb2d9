import { base64url } from 'jose';
import * as oauth from 'oauth4webapi';
import { ProtocolError } from './errors.js';

// A PKCE verifier is unreserved characters only (RFC 7636 §4.1), never ':', so the hashed input
// is never itself a verifier: the nonce cannot equal the S256 challenge of any verifier.
const LABEL = 'nonce:';

// oauth4webapi checks these before the nonce; when they are all there, the nonce is what is missing.
const CHECKED_FIRST = ['aud', 'exp', 'iat', 'iss', 'sub'];

/**
 * The nonce of an authorization request, bound to its PKCE verifier so that the short form
 * `exchangeCode(code, codeVerifier)` can check the ID token's nonce with nothing else stored.
 * The nonce is public (it is in the URL) while the verifier must stay secret until the token
 * request; SHA-256 is one-way, so the nonce tells no more about the verifier than the
 * code_challenge beside it does, and it is as unpredictable and single-use as the verifier.
 */
export async function nonceFromVerifier(codeVerifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${LABEL}${codeVerifier}`));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * oauth4webapi reports an ID token without a nonce as a malformed response; for the caller it is
 * the nonce check failing, as a wrong nonce does (claim_mismatch on "nonce"). Anything else: undefined.
 */
export function missingNonceError(error: unknown): ProtocolError | undefined {
  if (!(error instanceof oauth.OperationProcessingError) || error.code !== oauth.INVALID_RESPONSE) return undefined;
  const claims = (error.cause as { claims?: unknown } | undefined)?.claims;
  if (typeof claims !== 'object' || claims === null) return undefined;
  const present = claims as Record<string, unknown>;
  if (present.nonce !== undefined || CHECKED_FIRST.some((claim) => present[claim] === undefined)) return undefined;
  return new ProtocolError('claim_mismatch', 'The ID token has no "nonce"', { claim: 'nonce', cause: error });
}

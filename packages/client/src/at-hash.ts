import { base64url, decodeProtectedHeader } from 'jose';
import { ProtocolError } from './errors.js';
import type { Profile } from './types.js';

const HASHES: Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'> = {
  '256': 'SHA-256',
  '384': 'SHA-384',
  '512': 'SHA-512',
};

/**
 * OIDC Core §3.1.3.8 / §3.2.2.9: when the ID token carries `at_hash`, it must be the left half of
 * the hash of the access token issued with it, so an access token cannot be swapped in.
 */
export async function checkAtHash(idToken: string, profile: Profile, accessToken: string): Promise<void> {
  if (profile.at_hash === undefined) return;
  const { alg = '' } = decodeProtectedHeader(idToken);
  const hash = alg === 'EdDSA' || alg === 'Ed25519' ? 'SHA-512' : HASHES[alg.slice(-3)];
  if (!hash) throw new ProtocolError('unsupported', `Cannot check at_hash for alg ${alg}`);
  const digest = new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(accessToken)));
  if (profile.at_hash !== base64url.encode(digest.slice(0, digest.length / 2))) {
    throw new ProtocolError('claim_mismatch', 'The ID token "at_hash" does not match the access token', { claim: 'at_hash' });
  }
}

import { type KeyObject, sign } from 'node:crypto';
import type { SigningAlg } from './keys.js';

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signAsync(data: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => sign('sha256', data, key, (error, signature) => (error ? reject(error) : resolve(signature))));
}

/**
 * Signs a compact JWS (RFC 7515) with Node's own crypto. jose signs through WebCrypto, which
 * costs six times the CPU of an ES256 signature here; tokens are signed on every request, so
 * this one step is done directly, and every token is verified with jose (here and in tests).
 * ES256 and EdDSA sign in place (tens of microseconds); RS256 (about a millisecond) goes to
 * the thread pool so the event loop keeps serving.
 */
export async function signCompact(alg: SigningAlg, header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): Promise<string> {
  const input = `${encode({ alg, ...header })}.${encode(payload)}`;
  const data = Buffer.from(input);
  let signature: Buffer;
  if (alg === 'ES256') signature = sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') signature = sign(null, data, key);
  else signature = await signAsync(data, key);
  return `${input}.${signature.toString('base64url')}`;
}

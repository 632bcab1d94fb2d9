import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random string of `bytes` bytes (default 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 as base64url: how codes, tokens, secrets and cookies are stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** Compares a presented secret with a stored SHA-256 in constant time. */
export function matchesHash(presented: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(presented));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

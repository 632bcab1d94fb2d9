import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * Random bytes from the system CSPRNG, drawn 4 KiB at a time: a sign-in takes about ten tokens,
 * and each call into OpenSSL costs 2.5–8 µs where a slice of the pool costs a tenth of a
 * microsecond. Every byte is handed out once: a refill replaces the buffer, never reuses it.
 */
function randomSlice(bytes: number): Buffer {
  if (bytes > POOL_BYTES / 8) return randomBytes(bytes);
  if (used + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const slice = pool.subarray(used, used + bytes);
  used += bytes;
  return slice;
}

/** A URL-safe random string of `bytes` bytes (default 256 bits). */
export function randomToken(bytes = 32): string {
  return randomSlice(bytes).toString('base64url');
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

/** Constant-time comparison of two strings (CSRF tokens and the like). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A random identifier (128 bits) that starts with a letter or digit, so it can be typed as a
 * command-line argument without being mistaken for an option.
 */
export function randomId(bytes = 16): string {
  for (;;) {
    const id = randomToken(bytes);
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

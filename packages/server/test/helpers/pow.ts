import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { PowChallenge } from '../../src/abuse/proof-of-work.js';

/**
 * What the pages' proof-of-work script does, in Node: tries numbers until SHA-256(salt + number)
 * is the challenge, and encodes the Altcha payload; `change` overrides fields of it (a forgery).
 */
export function solvePow(
  c: PowChallenge,
  change: Partial<Record<'algorithm' | 'challenge' | 'salt' | 'signature', string>> & { number?: number } = {},
): string {
  let number = 0;
  while (
    createHash('sha256')
      .update(c.salt + number)
      .digest('hex') !== c.challenge
  )
    number++;
  assert.ok(number <= c.maxnumber);
  return Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature, ...change })).toString(
    'base64',
  );
}

import os from 'node:os';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { Slots } from './slots.js';

// Algorithm is an ambient const enum, which verbatimModuleSyntax cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * argon2 runs on libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default). More hashes at once than there are
 * cores only makes each one slower (they fight over the caches: ~30 % more CPU per hash with 4
 * on 2 cores) and leaves no thread for the WAL fsync and other file work that shares the pool.
 */
const threadPool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const hashing = new Slots(Math.min(os.availableParallelism(), threadPool - 1));

export function hashPassword(password: string): Promise<string> {
  return hashing.run(() => hash(password, ARGON2_OPTIONS));
}

// Verified against when the email is unknown, so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Checks a password; with no stored hash it still spends the time of one verification. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('gatehouse-timing-equaliser');
    const equaliser = await dummyHash;
    await hashing.run(() => verify(equaliser, password));
    return false;
  }
  try {
    return await hashing.run(() => verify(storedHash, password));
  } catch {
    return false;
  }
}

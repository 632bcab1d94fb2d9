import type { Algorithm } from '@node-rs/argon2';
import { HashThreadStopped, HashThreads, defaultHashThreads } from './hash-threads.js';

// Algorithm is an ambient const enum, which verbatimModuleSyntax cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

// At most one hashing thread per core (hash-threads.ts): more at once than there are cores only
// makes each hash slower, as they fight over the caches.
const threads = new HashThreads(defaultHashThreads());

/** The most hashes at once (GATEHOUSE_HASH_THREADS), set by the server at start. */
export function limitHashThreads(size: number): void {
  threads.resize(size);
}

/** How many hashing threads exist now (tests, diagnostics). */
export function hashThreadCount(): number {
  return threads.count;
}

export async function hashPassword(password: string): Promise<string> {
  return (await threads.run({ op: 'hash', password, options: ARGON2_OPTIONS })) as string;
}

async function verifyOnThread(storedHash: string, password: string): Promise<boolean> {
  return (await threads.run({ op: 'verify', hash: storedHash, password })) === true;
}

// Verified against when the email is unknown, so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Checks a password; with no stored hash it still spends the time of one verification. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('gatehouse-timing-equaliser').catch((error: unknown) => {
      dummyHash = undefined;
      throw error;
    });
    const equaliser = await dummyHash;
    await verifyOnThread(equaliser, password);
    return false;
  }
  try {
    return await verifyOnThread(storedHash, password);
  } catch (error) {
    // A stored hash argon2 cannot read matches no password; a stopped thread is our failure.
    if (error instanceof HashThreadStopped) throw error;
    return false;
  }
}

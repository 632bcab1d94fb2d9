import type { Algorithm } from '@node-rs/argon2';
import { HashThreadStopped, HashThreads, defaultHashThreads } from './hash-threads.js';

// Algorithm is an ambient const enum, which verbatimModuleSyntax cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane; the default cost. */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** What a new hash costs: memory in KiB and passes over it (GATEHOUSE_ARGON2_MEMORY_KIB, GATEHOUSE_ARGON2_ITERATIONS). */
export interface PasswordCost {
  memoryKib: number;
  iterations: number;
}

export const DEFAULT_PASSWORD_COST: PasswordCost = { memoryKib: ARGON2_OPTIONS.memoryCost, iterations: ARGON2_OPTIONS.timeCost };

let options: { algorithm: Algorithm; memoryCost: number; timeCost: number; parallelism: number } = ARGON2_OPTIONS;

// Verified against when the email is unknown, so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

// At most one hashing thread per core (hash-threads.ts): more at once than there are cores only
// makes each hash slower, as they fight over the caches.
const threads = new HashThreads(defaultHashThreads());

/** The most hashes at once (GATEHOUSE_HASH_THREADS), set by the server at start. */
export function limitHashThreads(size: number): void {
  threads.resize(size);
}

/** The cost of every hash made from now on, set by the server at start. */
export function setPasswordCost(cost: PasswordCost): void {
  if (cost.memoryKib === options.memoryCost && cost.iterations === options.timeCost) return;
  options = { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.iterations, parallelism: 1 };
  // An unknown email must cost what a real one costs, so the equaliser follows the parameters.
  dummyHash = undefined;
}

/**
 * Whether a stored hash was made with other parameters than today's (an older default, or
 * before the operator changed the cost), so a sign-in that has the password should replace it.
 * A hash this function cannot read is left alone: it matches no password anyway.
 */
export function needsRehash(storedHash: string): boolean {
  // The PHC string: variant, version (absent before 1.3), then the parameters.
  const match = /^\$(argon2(?:id|i|d))\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
  if (!match) return false;
  const [, variant, version = '16', memory, passes, lanes] = match;
  return (
    variant !== 'argon2id' ||
    Number(version) !== 19 ||
    Number(memory) !== options.memoryCost ||
    Number(passes) !== options.timeCost ||
    Number(lanes) !== options.parallelism
  );
}

/** Hashes waiting for or running on a hashing thread (metrics). */
export function hashQueueDepth(): number {
  return threads.queued;
}

/** How many hashing threads exist now (tests, diagnostics). */
export function hashThreadCount(): number {
  return threads.count;
}

let hashesStarted = 0;

/**
 * How many new hashes this process has started: what a test compares to show two answers did
 * the same work (a sign-up for a taken address hashes as one for a free address does).
 */
export function passwordHashesStarted(): number {
  return hashesStarted;
}

export async function hashPassword(password: string): Promise<string> {
  hashesStarted++;
  return (await threads.run({ op: 'hash', password, options })) as string;
}

async function verifyOnThread(storedHash: string, password: string): Promise<boolean> {
  return (await threads.run({ op: 'verify', hash: storedHash, password })) === true;
}

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

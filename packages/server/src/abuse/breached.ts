import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { BreachedPasswordSource } from '../config.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Logger } from '../log.js';
import { type Text, say } from '../pages/translator.js';

/** A range answer arrives in this long or not at all: a person is waiting on the form. */
export const RANGE_TIMEOUT_MS = 2_000;
/** A padded HIBP range is some 40 KB; anything far larger is not a range answer. */
export const RANGE_MAX_BYTES = 512 * 1024;

const SUFFIX_LINE = /^([0-9A-Fa-f]{35}):(\d+)\s*$/;
const FULL_LINE = /^([0-9A-Fa-f]{40}):(\d+)\s*$/;

/** Where a new password was chosen, for the event and the log. */
export type NewPasswordPlace = 'change' | 'reset' | 'admin' | 'signup';

/** Why a range could not be read: the check then lets the password through (fail open). */
export class RangeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RangeUnavailableError';
  }
}

/** The uppercase hex SHA-1 of a password, split as the range protocol sends it: 5 characters out, 35 kept. */
export function rangeParts(password: string): { prefix: string; suffix: string } {
  const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  return { prefix: hash.slice(0, 5), suffix: hash.slice(5) };
}

/** How often `suffix` appears in a range answer; padding lines (count 0) are not breaches. */
export function countInRange(body: string, suffix: string): number {
  for (const line of body.split('\n')) {
    const match = SUFFIX_LINE.exec(line);
    if (match && (match[1] as string).toUpperCase() === suffix) return Number(match[2]);
  }
  return 0;
}

/** GET <url>/<prefix> with padding asked for, no redirects, a timeout and a size cap. */
async function fetchRange(url: string, prefix: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${url}/${prefix}`, {
      redirect: 'error',
      signal: AbortSignal.timeout(RANGE_TIMEOUT_MS),
      headers: { 'Add-Padding': 'true', 'User-Agent': 'Gatehouse' },
    });
  } catch (error) {
    throw new RangeUnavailableError(error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be reached');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RangeUnavailableError(`answered ${response.status}`);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > RANGE_MAX_BYTES) {
        await reader.cancel();
        throw new RangeUnavailableError(`answered more than ${RANGE_MAX_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RangeUnavailableError) throw error;
    throw new RangeUnavailableError(error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'broke off');
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A folder of range files: `<prefix>` or `<prefix>.txt`; a prefix without a file has no breached passwords. */
async function readRangeFile(folder: string, prefix: string): Promise<string> {
  for (const name of [prefix, `${prefix}.txt`, prefix.toLowerCase(), `${prefix.toLowerCase()}.txt`]) {
    try {
      const file = path.join(folder, name);
      const stat = await fs.promises.stat(file);
      if (stat.size > RANGE_MAX_BYTES * 4) throw new RangeUnavailableError(`range file ${name} is larger than ${RANGE_MAX_BYTES * 4} bytes`);
      return await fs.promises.readFile(file, 'utf8');
    } catch (error) {
      if (error instanceof RangeUnavailableError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new RangeUnavailableError(`range file ${name} could not be read`);
    }
  }
  try {
    if (!(await fs.promises.stat(folder)).isDirectory()) throw new RangeUnavailableError('the range folder is not a folder');
  } catch (error) {
    if (error instanceof RangeUnavailableError) throw error;
    throw new RangeUnavailableError('the range folder does not exist');
  }
  return '';
}

/** One file of full hashes (`HASH:COUNT`), read through line by line. */
async function countInFile(file: string, hash: string): Promise<number> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { encoding: 'utf8' });
  } catch {
    throw new RangeUnavailableError('the hash file could not be read');
  }
  const lines = readline.createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      const match = FULL_LINE.exec(line);
      if (match && (match[1] as string).toUpperCase() === hash) return Number(match[2]);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return 0;
}

/**
 * How many times `password` appears in the breach list of `source` (0: not at all). Only the
 * first five hex digits of its SHA-1 leave the process; the rest is compared here. Rejects
 * with RangeUnavailableError when the list cannot be read.
 */
export async function breachCount(source: BreachedPasswordSource, password: string): Promise<number> {
  const { prefix, suffix } = rangeParts(password);
  if (source.kind === 'http') return countInRange(await fetchRange(source.url, prefix), suffix);
  if (source.kind === 'directory') return countInRange(await readRangeFile(source.path, prefix), suffix);
  return countInFile(source.path, prefix + suffix);
}

/**
 * Whether `password` is known breached, for a policy that fails open: a list that cannot be
 * read lets the password through with a warning, so an outage of the range service never
 * stops people from choosing a password (the length rule still holds).
 */
export async function isBreached(source: BreachedPasswordSource | undefined, password: string, logger: Logger): Promise<boolean> {
  if (!source) return false;
  try {
    return (await breachCount(source, password)) > 0;
  } catch (error) {
    if (!(error instanceof RangeUnavailableError)) throw error;
    logger.log('warn', 'breached_password_check_unavailable', { source: source.kind, reason: error.message });
    return false;
  }
}

/**
 * The one check of every newly chosen password beyond the length rule: a message for the
 * person when the password is in the deployment's breach list (GATEHOUSE_BREACHED_PASSWORDS_URL),
 * undefined when it is not, when the check is off, or when the list cannot be read. A refusal is
 * recorded as `password.breached_refused` (never with the password or its hash).
 */
export async function checkNewPassword(
  scope: IssuerScope,
  password: string,
  context: { place?: NewPasswordPlace; userId?: string | null; address?: string | null } = {},
): Promise<Text | undefined> {
  if (!(await isBreached(scope.services.config.breachedPasswords, password, scope.services.logger))) return undefined;
  const place = context.place ?? 'change';
  scope.services.logger.log('info', 'breached_password_refused', { issuer: scope.id, user: context.userId ?? undefined, place });
  await scope.repos.events.record({
    type: 'password.breached_refused',
    userId: context.userId ?? null,
    address: context.address ?? null,
    payload: { place },
  });
  return say('abuse.breached');
}

import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { clientIp } from '../http/client-ip.js';
import { logSecurityEvent } from '../http/request-log.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Text, say } from '../pages/translator.js';
import { rateLimitKey } from '../store/repos/rate-limits.js';

/**
 * A self-hosted proof-of-work challenge in the Altcha format (altcha.org): the server picks a
 * random number up to `maxnumber` and publishes `challenge = SHA-256(salt + number)` (hex) with
 * an HMAC-SHA256 `signature` of the challenge under a key of the issuer's own; the browser
 * tries numbers until the hash matches and sends back base64(JSON {algorithm, challenge,
 * number, salt, signature}). Nothing is stored until a solution is spent (single use, per
 * issuer, until the salt's expiry). node:crypto only; no third party is asked anything.
 */
export interface PowChallenge {
  algorithm: 'SHA-256';
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

/** About 25 000 hashes on average: well under a second in a browser, a cost on every scripted try. */
export const POW_MAX_NUMBER = 50_000;
/** How long a challenge can be solved and sent: the life of a sign-in interaction. */
export const POW_TTL = 10 * 60;
/** The form field the page's script fills (Altcha's own name). */
export const POW_FIELD = 'altcha';
/** Sign-up attempts from one address per window before the sign-up form asks for a proof too. */
export const SIGN_UP_THRESHOLD = 5;

const MAX_PAYLOAD = 2_000;

/** What the sign-in form and the sign-up form call the check, in events. */
export type PowForm = 'login' | 'signup';
export type PowFailure = 'malformed' | 'wrong' | 'expired' | 'spent';

/** A solution checked without the database: good (still to be spent), missing, or why not. */
export type CheckedSolution = { status: 'missing' } | { status: 'failed'; reason: PowFailure } | { status: 'solved'; challenge: string; expiresAt: number };

/** The issuer's own HMAC key: a challenge of one issuer is worth nothing at another. */
function signingKey(scope: IssuerScope): string {
  return scope.services.box.mac('proof-of-work', `altcha/${scope.id}`);
}

function sign(scope: IssuerScope, challenge: string): string {
  return createHmac('sha256', signingKey(scope)).update(challenge).digest('hex');
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A new challenge: the salt names its expiry and the issuer (Altcha's `salt?expires=` form). */
export function createChallenge(scope: IssuerScope, maxnumber = POW_MAX_NUMBER): PowChallenge {
  const expires = scope.services.clock() + POW_TTL;
  const salt = `${randomBytes(12).toString('hex')}?expires=${expires}&issuer=${encodeURIComponent(scope.id)}`;
  const challenge = sha256Hex(salt + randomInt(0, maxnumber + 1));
  return { algorithm: 'SHA-256', challenge, maxnumber, salt, signature: sign(scope, challenge) };
}

/** Checks a posted solution's form, signature, hash, issuer and expiry; spends nothing. */
export function checkSolution(scope: IssuerScope, payload: string | null | undefined): CheckedSolution {
  const raw = (payload ?? '').trim();
  if (raw === '') return { status: 'missing' };
  const failed = (reason: PowFailure): CheckedSolution => ({ status: 'failed', reason });
  if (raw.length > MAX_PAYLOAD) return failed('malformed');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return failed('malformed');
  }
  if (typeof parsed !== 'object' || parsed === null) return failed('malformed');
  const { algorithm, challenge, number, salt, signature } = parsed as Record<string, unknown>;
  if (algorithm !== 'SHA-256' || typeof challenge !== 'string' || typeof salt !== 'string' || typeof signature !== 'string') return failed('malformed');
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0 || number > POW_MAX_NUMBER) return failed('malformed');
  if (!/^[0-9a-f]{64}$/.test(challenge) || !same(signature, sign(scope, challenge))) return failed('wrong');
  if (!same(sha256Hex(salt + number), challenge)) return failed('wrong');
  const params = new URLSearchParams(salt.slice(salt.indexOf('?') + 1));
  const expiresAt = Number(params.get('expires'));
  if (!salt.includes('?') || params.get('issuer') !== scope.id || !Number.isSafeInteger(expiresAt)) return failed('wrong');
  if (expiresAt <= scope.services.clock()) return failed('expired');
  return { status: 'solved', challenge, expiresAt };
}

/**
 * Settles a checked solution once the form itself has verified (CSRF, interaction): a good one
 * is spent, so it counts once; a failure is logged and recorded as `abuse.proof_of_work_failed`.
 * Returns the message to show, undefined when the solution was good, or there was none (then
 * the throttle alone decides, as it does for a browser without JavaScript).
 */
export async function settleSolution(c: Context, scope: IssuerScope, checked: CheckedSolution, form: PowForm): Promise<Text | undefined> {
  if (checked.status === 'missing') return undefined;
  let reason: PowFailure | undefined = checked.status === 'failed' ? checked.reason : undefined;
  if (checked.status === 'solved' && !(await scope.repos.spentChallenges.spend(checked.challenge, checked.expiresAt))) reason = 'spent';
  if (reason === undefined) return undefined;
  logSecurityEvent(c, 'warn', 'proof_of_work_failed', { form, reason });
  await scope.repos.events.record({
    type: 'abuse.proof_of_work_failed',
    address: clientIp(c, scope.services.config.trustProxy),
    payload: { form, reason },
  });
  return say('abuse.powFailed');
}

/**
 * For the sign-up form: checks and spends a posted solution in one call. `missing` means the
 * form came without one (no JavaScript): the caller's throttle decides.
 */
export async function verifyProofOfWork(
  c: Context,
  scope: IssuerScope,
  payload: string | null | undefined,
  form: PowForm = 'signup',
): Promise<'ok' | 'missing' | Text> {
  const checked = checkSolution(scope, payload);
  if (checked.status === 'missing') return 'missing';
  return (await settleSolution(c, scope, checked, form)) ?? 'ok';
}

/** Failed sign-ins from an address before its forms carry a challenge: half what one account may fail from it. */
export function signInThreshold(scope: IssuerScope): number {
  return Math.max(1, Math.floor(scope.settings.login.maxFailures / 2));
}

/** Counts one sign-up attempt from `ip` (the sign-up form calls it on every post). */
export async function noteSignUpAttempt(scope: IssuerScope, ip: string): Promise<void> {
  await scope.repos.rateLimits.hit(`abuse:signup:ip:${ip.slice(0, 64)}`, scope.settings.login.windowSeconds);
}

/**
 * A challenge for the form when the client address has crossed the threshold: failed sign-ins
 * (the sign-in throttle's address counter) or sign-up attempts (noteSignUpAttempt) in the
 * current window; undefined while it has not. `force` asks for one anyway (a refused attempt);
 * `addressFailures`, when the caller has just read it (a reserved sign-in), is used instead of
 * reading the counters again.
 */
export async function requireProofOfWork(
  scope: IssuerScope,
  ip: string,
  options: { force?: boolean | undefined; addressFailures?: number | undefined } = {},
): Promise<PowChallenge | undefined> {
  if (options.force) return createChallenge(scope);
  if (options.addressFailures !== undefined) return options.addressFailures >= signInThreshold(scope) ? createChallenge(scope) : undefined;
  const address = ip.slice(0, 64);
  const login = rateLimitKey(scope.id, `login:ip:${address}`);
  const signUp = rateLimitKey(scope.id, `abuse:signup:ip:${address}`);
  // Both counters in one read.
  const rows = await scope.services.store.db
    .selectFrom('rate_limits')
    .select(['key', 'count'])
    .where('key', 'in', [login, signUp])
    .where('window_start', '>', scope.services.clock() - scope.settings.login.windowSeconds)
    .execute();
  const count = (key: string): number => Number(rows.find((r) => r.key === key)?.count ?? 0);
  if (count(login) >= signInThreshold(scope) || count(signUp) >= SIGN_UP_THRESHOLD) return createChallenge(scope);
  return undefined;
}

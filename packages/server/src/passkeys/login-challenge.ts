import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IssuerScope } from '../issuers/scope.js';
import { CHALLENGE_TTL_SECONDS } from './relying-party.js';

// A passwordless challenge is shown on every showing of the sign-in page (conditional UI needs
// it before anyone clicks), so it is not stored there: it carries its own expiry and a MAC that
// binds it to the issuer and the interaction, and is written once, when it is used, as spent.
const RANDOM = 16;
const EXPIRY = 6;
const MAC = 16;

function macOf(scope: IssuerScope, binding: string, head: Buffer): Buffer {
  return Buffer.from(scope.services.box.mac(`${scope.id}\0${binding}\0${head.toString('base64url')}`, 'passkey-login'), 'base64url').subarray(0, MAC);
}

/** A new passwordless challenge for the interaction `binding` (base64url, 51 characters). */
export function loginChallenge(scope: IssuerScope, binding: string): string {
  const head = Buffer.alloc(RANDOM + EXPIRY);
  randomBytes(RANDOM).copy(head);
  head.writeUIntBE(scope.services.clock() + CHALLENGE_TTL_SECONDS, RANDOM, EXPIRY);
  return Buffer.concat([head, macOf(scope, binding, head)]).toString('base64url');
}

/**
 * Spends a passwordless challenge: it must be this issuer's and this interaction's, unexpired,
 * and not spent before (the insert of its spent row decides, so of two uses exactly one wins).
 */
export async function spendLoginChallenge(scope: IssuerScope, binding: string, challenge: string): Promise<boolean> {
  if (challenge.length > 64) return false;
  const bytes = Buffer.from(challenge, 'base64url');
  if (bytes.length !== RANDOM + EXPIRY + MAC || bytes.toString('base64url') !== challenge) return false;
  const head = bytes.subarray(0, RANDOM + EXPIRY);
  if (!timingSafeEqual(bytes.subarray(RANDOM + EXPIRY), macOf(scope, binding, head))) return false;
  const expiresAt = head.readUIntBE(RANDOM, EXPIRY);
  if (expiresAt <= scope.services.clock()) return false;
  return scope.repos.passkeys.spendChallenge('login', binding, challenge, expiresAt);
}

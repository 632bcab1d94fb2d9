import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { IssuerScope } from '../issuers/scope.js';
import type { ChallengePurpose, Passkey } from '../store/repos/passkeys.js';
import type { User } from '../store/repos/users.js';
import { loginChallenge, spendLoginChallenge } from './login-challenge.js';
import { CEREMONY_TIMEOUT_MS, CHALLENGE_TTL_SECONDS, relyingParty } from './relying-party.js';
import { loadWebAuthn } from './webauthn-library.js';

/** A posted WebAuthn response is a few hundred bytes to a few kilobytes; anything longer is refused unread. */
const MAX_RESPONSE = 32 * 1024;
/** The longest name a person may give a passkey. */
export const PASSKEY_NAME_MAX = 60;

/** Why an assertion or attestation was refused (the `reason` of passkey.used_failed, never shown). */
export type CeremonyFailure =
  | 'malformed'
  | 'challenge'
  | 'unknown_credential'
  | 'other_user'
  | 'user_handle'
  | 'origin'
  | 'rp_id'
  | 'user_verification'
  | 'counter'
  | 'signature';

/** The user id as the WebAuthn user handle: the account's id (random, says nothing about the person). */
function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}

function challengeBytes(challenge: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(challenge, 'base64url'));
}

/** The posted `response` field as JSON, or undefined when it is missing, too long or not a credential. */
export function parseCredential(raw: string | null): Record<string, unknown> | undefined {
  if (!raw || raw.length > MAX_RESPONSE) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const response = record.response as Record<string, unknown> | undefined;
  if (typeof record.id !== 'string' || typeof record.rawId !== 'string' || record.type !== 'public-key') return undefined;
  if (typeof response !== 'object' || response === null || typeof response.clientDataJSON !== 'string') return undefined;
  if (typeof record.clientExtensionResults !== 'object' || record.clientExtensionResults === null) record.clientExtensionResults = {};
  return record;
}

/** The challenge the browser signed (clientDataJSON.challenge), read before anything is verified, to find it. */
function signedChallenge(credential: Record<string, unknown>): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from((credential.response as { clientDataJSON: string }).clientDataJSON, 'base64url').toString('utf8')) as unknown;
    const challenge = (clientData as { challenge?: unknown }).challenge;
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(challenge) ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/** What a library refusal was about, from its message (it throws plain Errors). */
function failureOf(error: unknown): CeremonyFailure {
  const message = error instanceof Error ? error.message : '';
  if (/origin/i.test(message)) return 'origin';
  if (/RP ID/i.test(message)) return 'rp_id';
  if (/user verification/i.test(message)) return 'user_verification';
  if (/counter/i.test(message)) return 'counter';
  if (/signature/i.test(message)) return 'signature';
  return 'malformed';
}

/**
 * The options for registering a new passkey for `user`, with a fresh challenge bound to
 * `binding` (the account session's id). Discoverable (resident) credentials and user
 * verification are required: a passkey added here signs in on its own.
 */
export async function registrationOptions(scope: IssuerScope, user: User, binding: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty(scope);
  const existing = await scope.repos.passkeys.listForUser(user.id);
  const challenge = await scope.repos.passkeys.issueChallenge('register', binding, user.id, CHALLENGE_TTL_SECONDS);
  const { generateRegistrationOptions } = await loadWebAuthn();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    userID: userHandle(user.id),
    challenge: challengeBytes(challenge),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

export type Registered = { ok: true; passkey: Omit<Passkey, 'id' | 'createdAt' | 'lastUsedAt'> } | { ok: false; reason: CeremonyFailure };

/**
 * Verifies a registration posted for `userId` from the session `binding`: the challenge must be
 * the live one issued to that session for that user (it is spent either way), then origin, RP ID,
 * user presence and verification. Returns the credential to store; nothing is stored here.
 */
export async function verifyRegistration(scope: IssuerScope, binding: string, userId: string, raw: string | null, name: string): Promise<Registered> {
  const credential = parseCredential(raw);
  if (!credential || typeof (credential.response as Record<string, unknown>).attestationObject !== 'string') return { ok: false, reason: 'malformed' };
  const challenge = signedChallenge(credential);
  if (!challenge) return { ok: false, reason: 'malformed' };
  const spent = await scope.repos.passkeys.consumeChallenge('register', binding, challenge);
  if (!spent || spent.userId !== userId) return { ok: false, reason: 'challenge' };
  const rp = relyingParty(scope);
  try {
    const { verifyRegistrationResponse } = await loadWebAuthn();
    const result = await verifyRegistrationResponse({
      response: credential as unknown as RegistrationResponseJSON,
      expectedChallenge: spent.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!result.verified) return { ok: false, reason: 'signature' };
    const info = result.registrationInfo;
    return {
      ok: true,
      passkey: {
        userId,
        credentialId: info.credential.id,
        publicKey: info.credential.publicKey,
        signCount: info.credential.counter,
        transports: (info.credential.transports ?? []).filter((t) => /^[a-z-]{1,20}$/.test(t)).slice(0, 8),
        aaguid: info.aaguid,
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name,
      },
    };
  } catch (error) {
    return { ok: false, reason: failureOf(error) };
  }
}

/**
 * Options for an assertion with a fresh challenge bound to `binding` (the interaction). For a
 * passwordless sign-in (`login`) no credentials are listed (the authenticator offers the
 * discoverable ones) and user verification is required; as a second factor (`mfa`) the user's
 * own credentials are listed and verification is preferred.
 */
export async function assertionOptions(
  scope: IssuerScope,
  purpose: Exclude<ChallengePurpose, 'register'>,
  binding: string,
  userId: string | null,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingParty(scope);
  const own = userId === null ? [] : await scope.repos.passkeys.listForUser(userId);
  const challenge =
    purpose === 'login' ? loginChallenge(scope, binding) : await scope.repos.passkeys.issueChallenge(purpose, binding, userId, CHALLENGE_TTL_SECONDS);
  const { generateAuthenticationOptions } = await loadWebAuthn();
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: challengeBytes(challenge),
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: purpose === 'login' ? 'required' : 'preferred',
    allowCredentials: own.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
  });
}

export type Asserted =
  | { ok: true; passkey: Passkey; userVerified: boolean; deviceType: 'singleDevice' | 'multiDevice'; backedUp: boolean }
  | { ok: false; reason: CeremonyFailure; userId?: string };

/**
 * Verifies an assertion posted for `purpose` in `binding`: the challenge it signed must be that
 * binding's live one (spent here, whatever follows, so a replay finds none); the credential must
 * be this issuer's (and, with `userId`, that user's); the user handle, origin, RP ID, signature,
 * user verification (when `requireUserVerification`) and counter must all check out.
 */
export async function verifyAssertion(
  scope: IssuerScope,
  purpose: Exclude<ChallengePurpose, 'register'>,
  binding: string,
  raw: string | null,
  options: { userId?: string; requireUserVerification: boolean },
): Promise<Asserted> {
  const credential = parseCredential(raw);
  const response = credential?.response as Record<string, unknown> | undefined;
  if (!credential || !response || typeof response.authenticatorData !== 'string' || typeof response.signature !== 'string') {
    return { ok: false, reason: 'malformed' };
  }
  const challenge = signedChallenge(credential);
  if (!challenge) return { ok: false, reason: 'malformed' };
  const spent =
    purpose === 'login'
      ? (await spendLoginChallenge(scope, binding, challenge))
        ? { challenge, userId: null }
        : undefined
      : await scope.repos.passkeys.consumeChallenge(purpose, binding, challenge);
  if (!spent || (options.userId !== undefined && spent.userId !== options.userId)) return { ok: false, reason: 'challenge' };
  const passkey = await scope.repos.passkeys.findByCredentialId(credential.id as string);
  if (!passkey) return { ok: false, reason: 'unknown_credential' };
  if (options.userId !== undefined && passkey.userId !== options.userId) return { ok: false, reason: 'other_user', userId: options.userId };
  // A discoverable credential says whose it is; it must be the stored credential's user.
  if (typeof response.userHandle === 'string' && response.userHandle !== '') {
    if (Buffer.from(response.userHandle, 'base64url').toString('utf8') !== passkey.userId) return { ok: false, reason: 'user_handle', userId: passkey.userId };
  }
  const rp = relyingParty(scope);
  try {
    const { verifyAuthenticationResponse } = await loadWebAuthn();
    const result = await verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: spent.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.signCount },
      requireUserVerification: options.requireUserVerification,
    });
    if (!result.verified) return { ok: false, reason: 'signature', userId: passkey.userId };
    const info = result.authenticationInfo;
    // The guarded update is the counter check under concurrency: a cloned authenticator's
    // counter that does not move forward is refused (counters of 0, as synced passkeys send, are never compared).
    if (!(await scope.repos.passkeys.recordUse(passkey.id, info.newCounter, info.credentialBackedUp))) {
      return { ok: false, reason: 'counter', userId: passkey.userId };
    }
    return { ok: true, passkey, userVerified: info.userVerified, deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp };
  } catch (error) {
    return { ok: false, reason: failureOf(error), userId: passkey.userId };
  }
}

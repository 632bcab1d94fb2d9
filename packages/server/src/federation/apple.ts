import { SignJWT, importPKCS8 } from 'jose';
import { invalid } from '../services/errors.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';

/**
 * Sign in with Apple: Apple has no static client secret. Each token request carries a JWT
 * (ES256, header kid = the key id) with iss = the team id, sub = the Services ID (the client
 * id), aud = Apple's issuer, signed with the operator's .p8 key. The team id, key id and key
 * are sealed together in the provider's client-secret column (providers.ts), so the key is at
 * rest exactly like any client secret and needs no column of its own.
 */
export const APPLE_PRESET = 'apple';

export interface AppleCredentials {
  teamId: string;
  keyId: string;
  privateKey: string;
}

/** The Apple fields as given (CLI, Admin API, console): any of them may be absent in an update. */
export interface AppleInput {
  teamId?: string | undefined;
  keyId?: string | undefined;
  privateKey?: string | undefined;
}

/** Apple's team ids and key ids are 10 upper-case letters and digits. */
const APPLE_ID = /^[A-Z0-9]{10}$/;
/** Short: a secret is made per token request, so it only has to outlive that one request. */
const SECRET_TTL = 300;

export function isApple(provider: Pick<UpstreamProvider, 'preset'>): boolean {
  return provider.preset === APPLE_PRESET;
}

export function hasAppleInput(input: AppleInput | undefined): boolean {
  return input !== undefined && (input.teamId !== undefined || input.keyId !== undefined || input.privateKey !== undefined);
}

/** The credentials after checking each: the ids' shape, and that the key is an ES256 (P-256) PKCS #8 key. */
export async function checkedAppleCredentials(input: AppleInput, current?: AppleCredentials): Promise<AppleCredentials> {
  const teamId = input.teamId?.trim() ?? current?.teamId;
  const keyId = input.keyId?.trim() ?? current?.keyId;
  const privateKey = input.privateKey?.trim() ?? current?.privateKey;
  if (!teamId || !APPLE_ID.test(teamId)) throw invalid('appleTeamId', 'the Apple team id must be 10 upper-case letters and digits');
  if (!keyId || !APPLE_ID.test(keyId)) throw invalid('appleKeyId', 'the Apple key id must be 10 upper-case letters and digits');
  if (!privateKey || privateKey.length > 4000) throw invalid('applePrivateKey', 'the Apple private key (the .p8 file) is required');
  try {
    await importPKCS8(privateKey, 'ES256');
  } catch {
    throw invalid('applePrivateKey', 'the Apple private key must be the .p8 file Apple gave (a PKCS #8 P-256 key in PEM)');
  }
  return { teamId, keyId, privateKey };
}

/** What goes sealed into the client-secret column. */
export function appleSecretText(credentials: AppleCredentials): string {
  return JSON.stringify({ apple: credentials });
}

export function parseAppleSecret(text: string): AppleCredentials {
  const parsed = JSON.parse(text) as { apple?: Partial<AppleCredentials> };
  const a = parsed.apple;
  if (!a || typeof a.teamId !== 'string' || typeof a.keyId !== 'string' || typeof a.privateKey !== 'string') {
    throw new Error('the stored Apple credentials are not complete');
  }
  return { teamId: a.teamId, keyId: a.keyId, privateKey: a.privateKey };
}

/** A fresh client-secret JWT for one token request; `audience` is Apple's issuer (as discovered). */
export async function appleClientSecret(credentials: AppleCredentials, clientId: string, audience: string, now: number): Promise<string> {
  const key = await importPKCS8(credentials.privateKey, 'ES256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: credentials.keyId })
    .setIssuer(credentials.teamId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + SECRET_TTL)
    .sign(key);
}

/**
 * The name from the `user` member Apple posts on the first sign-in only ({"name": {"firstName",
 * "lastName"}, "email"}). It is not signed, so only the name is read from it, never the email.
 */
export function appleUserName(raw: string | undefined | null): string | null {
  if (!raw || raw.length > 2000) return null;
  let user: unknown;
  try {
    user = JSON.parse(raw);
  } catch {
    return null;
  }
  const name = (user as { name?: { firstName?: unknown; lastName?: unknown } } | null)?.name;
  if (typeof name !== 'object' || name === null) return null;
  const parts = [name.firstName, name.lastName].filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim());
  return parts.length === 0 ? null : parts.join(' ').slice(0, 200);
}

import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { IssuerScope } from '../issuers/scope.js';

/** How long a remembered device skips the second factor. */
export const REMEMBER_DEVICE_SECONDS = 30 * 24 * 3600;

function cookieName(scope: IssuerScope): string {
  const secure = scope.url.startsWith('https:');
  const atRoot = scope.basePath === '';
  if (atRoot && secure) return '__Host-gh_mfa_device';
  return `${secure ? '__Secure-' : ''}gh_mfa_device${atRoot ? '' : `_${scope.id}`}`;
}

function label(scope: IssuerScope): string {
  return `remember-device/${scope.id}`;
}

interface Remembered {
  /** The user whose second factor this browser proved. */
  u: string;
  /** Until when (seconds). */
  e: number;
}

/**
 * "Remember this device": a sealed cookie (services.box, labelled with the issuer, so another
 * issuer's cookie does not open here) naming the user and when it ends. It skips the second
 * factor for that user on that browser; it never satisfies a step-up request (acr_values or
 * max_age: factors/need.ts), and it is no factor itself, so the ID token's acr stays 1fa.
 */
export async function rememberDevice(c: Context, scope: IssuerScope, userId: string): Promise<void> {
  const until = scope.services.clock() + REMEMBER_DEVICE_SECONDS;
  const value = await scope.services.box.seal(JSON.stringify({ u: userId, e: until } satisfies Remembered), label(scope));
  setCookie(c, cookieName(scope), value, {
    path: scope.basePath === '' ? '/' : `${scope.basePath}/`,
    httpOnly: true,
    secure: scope.url.startsWith('https:'),
    sameSite: 'Lax',
    maxAge: REMEMBER_DEVICE_SECONDS,
  });
}

/** Whether this browser is remembered for this user at this issuer, and not yet expired. */
export async function isRememberedDevice(c: Context, scope: IssuerScope, userId: string): Promise<boolean> {
  if (!scope.settings.rememberDevice) return false;
  const value = getCookie(c, cookieName(scope));
  if (!value || value.length > 2000) return false;
  try {
    const remembered = JSON.parse(await scope.services.box.open(value, label(scope))) as Partial<Remembered>;
    return remembered.u === userId && typeof remembered.e === 'number' && remembered.e > scope.services.clock();
  } catch {
    // Tampered, another issuer's, or sealed under another master secret: not remembered.
    return false;
  }
}

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuerScope } from '../issuers/scope.js';
import { randomToken } from '../tokens/random.js';
import { CONSOLE_PATHS } from './paths.js';
import type { ConsoleSession } from './session.js';

/**
 * A new secret (an app's client secret, a webhook's signing secret) on its way from the POST
 * that made it to the page that shows it: the POST answers with a redirect, so reloading the
 * page it lands on creates (or rotates) nothing a second time. The flash is a sealed cookie,
 * bound to the issuer (the seal's label), to the operator's console sign-in (its random `sid`)
 * and to the one app or endpoint, living 5 minutes; the first view spends its nonce at the
 * issuer (the spent one-time values of abuse/spent-challenges.ts), so the secret is shown
 * exactly once even if the browser sends the old cookie again. The secret is stored nowhere
 * but in that cookie and, as always, sealed or hashed in its own table.
 */
export type FlashKind = 'client' | 'webhook';

interface SealedFlash {
  kind: FlashKind;
  id: string;
  secret: string;
  sid: string;
  nonce: string;
  expiresAt: number;
}

const LABEL = 'console-secret';
export const FLASH_SECONDS = 300;

const PLACES: Readonly<Record<FlashKind, { name: string; route: string }>> = {
  client: { name: 'gh_console_secret', route: CONSOLE_PATHS.apps },
  webhook: { name: 'gh_console_webhook_secret', route: CONSOLE_PATHS.webhooks },
};

function cookie(scope: IssuerScope, kind: FlashKind): { name: string; path: string } {
  const secure = scope.cookies.secure ? '__Secure-' : '';
  const suffix = scope.basePath === '' ? '' : `_${scope.id}`;
  const place = PLACES[kind];
  return { name: `${secure}${place.name}${suffix}`, path: scope.path(place.route) };
}

/** Keeps `secret` of the app or endpoint `id` for the next page this console sign-in opens under its route. */
export async function flashSecret(
  c: Context,
  scope: IssuerScope,
  session: ConsoleSession,
  flash: { kind: FlashKind; id: string; secret: string },
): Promise<void> {
  const { name, path } = cookie(scope, flash.kind);
  const sealed: SealedFlash = { ...flash, sid: session.sid, nonce: randomToken(16), expiresAt: scope.services.clock() + FLASH_SECONDS };
  setCookie(c, name, await scope.services.box.seal(JSON.stringify(sealed), `${LABEL}/${scope.id}`), {
    path,
    httpOnly: true,
    secure: scope.cookies.secure,
    sameSite: 'Strict',
    maxAge: FLASH_SECONDS,
  });
}

/**
 * The secret flashed for `id`, once; undefined when there is none, it was for another app or
 * endpoint, another console sign-in or issuer, it expired, or it was shown already.
 */
export async function takeSecret(c: Context, scope: IssuerScope, session: ConsoleSession, kind: FlashKind, id: string): Promise<string | undefined> {
  const { name, path } = cookie(scope, kind);
  const value = getCookie(c, name);
  if (!value) return undefined;
  deleteCookie(c, name, { path, secure: scope.cookies.secure });
  let flash: SealedFlash;
  try {
    flash = JSON.parse(await scope.services.box.open(value, `${LABEL}/${scope.id}`)) as SealedFlash;
  } catch {
    return undefined;
  }
  if (flash.kind !== kind || flash.id !== id || flash.sid !== session.sid || typeof flash.nonce !== 'string') return undefined;
  if (!(flash.expiresAt > scope.services.clock())) return undefined;
  if (!(await scope.repos.spentChallenges.spend(`console-flash:${flash.nonce}`, flash.expiresAt))) return undefined;
  return flash.secret;
}

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuerScope } from '../issuers/scope.js';

/**
 * A new client secret on its way from the POST that made it to the page that shows it (the
 * answer of a create is a redirect, so reloading that page does not create a second app). Sealed,
 * for one client, read once: the cookie is cleared as the page is drawn, so the secret is shown
 * exactly once and never stored anywhere but as its hash.
 */
export interface SecretFlash {
  clientId: string;
  secret: string;
}

const LABEL = 'console-secret';
const SECONDS = 300;

function cookie(scope: IssuerScope): { name: string; path: string } {
  const secure = scope.cookies.secure ? '__Secure-' : '';
  const suffix = scope.basePath === '' ? '' : `_${scope.id}`;
  return { name: `${secure}gh_console_secret${suffix}`, path: scope.path('/admin/applications') };
}

export async function flashSecret(c: Context, scope: IssuerScope, flash: SecretFlash): Promise<void> {
  const { name, path } = cookie(scope);
  setCookie(c, name, await scope.services.box.seal(JSON.stringify(flash), `${LABEL}/${scope.id}`), {
    path,
    httpOnly: true,
    secure: scope.cookies.secure,
    sameSite: 'Strict',
    maxAge: SECONDS,
  });
}

/** The secret flashed for `clientId`, once; undefined when there is none (or it was for another app). */
export async function takeSecret(c: Context, scope: IssuerScope, clientId: string): Promise<string | undefined> {
  const { name, path } = cookie(scope);
  const value = getCookie(c, name);
  if (!value) return undefined;
  deleteCookie(c, name, { path, secure: scope.cookies.secure });
  try {
    const flash = JSON.parse(await scope.services.box.open(value, `${LABEL}/${scope.id}`)) as SecretFlash;
    return flash.clientId === clientId ? flash.secret : undefined;
  } catch {
    return undefined;
  }
}

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuerScope } from '../issuers/scope.js';
import { randomToken, safeEqual } from '../tokens/random.js';

/**
 * The console's own session, apart from the end-user session of the same browser: a sealed
 * cookie (encrypted and authenticated with the master secret, bound to its issuer) holding the
 * tokens the console got for the operator. Nothing is stored server-side; what makes the
 * session end for real is its grant, which sign-out revokes and every Admin API call checks.
 */
export interface ConsoleSession {
  /** The operator's user id. */
  sub: string;
  email: string;
  accessToken: string;
  refreshToken: string | undefined;
  /** When the access token expires (seconds). */
  accessExpiresAt: number;
  /** Random per sign-in: the CSRF token is derived from it. */
  sid: string;
  /** When the console session ends, whatever its tokens say (seconds). */
  expiresAt: number;
}

/** A console sign-in lasts a working day; then the operator signs in again. */
export const CONSOLE_SESSION_SECONDS = 8 * 3600;

/** A sign-in under way: the browser's half of state, nonce and PKCE verifier. */
export interface ConsoleFlow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

function names(scope: IssuerScope): { session: string; flow: string; path: string } {
  const secure = scope.cookies.secure ? '__Secure-' : '';
  const suffix = scope.basePath === '' ? '' : `_${scope.id}`;
  return { session: `${secure}gh_console${suffix}`, flow: `${secure}gh_console_flow${suffix}`, path: scope.path('/admin') };
}

const label = (scope: IssuerScope, kind: string): string => `console-${kind}/${scope.id}`;

async function openSealed<T>(scope: IssuerScope, value: string | undefined, kind: string): Promise<T | undefined> {
  if (!value || value.length > 6000) return undefined;
  try {
    return JSON.parse(await scope.services.box.open(value, label(scope, kind))) as T;
  } catch {
    return undefined;
  }
}

export async function readConsoleSession(c: Context, scope: IssuerScope): Promise<ConsoleSession | undefined> {
  const session = await openSealed<ConsoleSession>(scope, getCookie(c, names(scope).session), 'session');
  if (!session || session.expiresAt <= scope.services.clock()) return undefined;
  return session;
}

export async function writeConsoleSession(c: Context, scope: IssuerScope, session: ConsoleSession): Promise<void> {
  const { session: name, path } = names(scope);
  const maxAge = Math.max(0, session.expiresAt - scope.services.clock());
  setCookie(c, name, await scope.services.box.seal(JSON.stringify(session), label(scope, 'session')), {
    path,
    httpOnly: true,
    secure: scope.cookies.secure,
    sameSite: 'Lax',
    maxAge,
  });
}

export function clearConsoleSession(c: Context, scope: IssuerScope): void {
  const { session, path } = names(scope);
  deleteCookie(c, session, { path, secure: scope.cookies.secure });
}

export async function startConsoleFlow(c: Context, scope: IssuerScope, returnTo: string): Promise<ConsoleFlow> {
  const flow: ConsoleFlow = { state: randomToken(16), nonce: randomToken(16), verifier: randomToken(32), returnTo };
  const { flow: name, path } = names(scope);
  setCookie(c, name, await scope.services.box.seal(JSON.stringify(flow), label(scope, 'flow')), {
    path,
    httpOnly: true,
    secure: scope.cookies.secure,
    sameSite: 'Lax',
    maxAge: 600,
  });
  return flow;
}

/** The flow this browser started, once: the cookie is cleared as it is read. */
export async function takeConsoleFlow(c: Context, scope: IssuerScope): Promise<ConsoleFlow | undefined> {
  const { flow: name, path } = names(scope);
  const flow = await openSealed<ConsoleFlow>(scope, getCookie(c, name), 'flow');
  deleteCookie(c, name, { path, secure: scope.cookies.secure });
  return flow;
}

/** The CSRF token of every console form: a keyed hash of the session's random id. */
export function consoleCsrf(scope: IssuerScope, session: ConsoleSession): string {
  return scope.services.box.mac(session.sid, 'console-csrf');
}

export function validConsoleCsrf(scope: IssuerScope, session: ConsoleSession, presented: string | undefined): boolean {
  return presented !== undefined && safeEqual(presented, consoleCsrf(scope, session));
}

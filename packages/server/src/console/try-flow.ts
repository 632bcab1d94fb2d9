import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuerScope } from '../issuers/scope.js';
import { randomToken } from '../tokens/random.js';

/**
 * A "try sign-in" on its way through the authorization endpoint: which app, this try's PKCE
 * verifier, state and nonce, and the client secret the operator typed for a confidential app.
 * Sealed (encrypted and authenticated) in an HttpOnly cookie under the try's own path, for ten
 * minutes at most and read once: the secret is never stored on the server.
 */
export interface TryFlow {
  clientId: string;
  state: string;
  nonce: string;
  verifier: string;
  secret?: string;
}

const LABEL = 'console-try';
const SECONDS = 600;

function cookie(scope: IssuerScope): { name: string; path: string } {
  const secure = scope.cookies.secure ? '__Secure-' : '';
  const suffix = scope.basePath === '' ? '' : `_${scope.id}`;
  return { name: `${secure}gh_console_try${suffix}`, path: scope.path('/admin/try') };
}

export async function startTryFlow(c: Context, scope: IssuerScope, clientId: string, secret: string | undefined): Promise<TryFlow> {
  const flow: TryFlow = { clientId, state: randomToken(16), nonce: randomToken(16), verifier: randomToken(32), ...(secret ? { secret } : {}) };
  const { name, path } = cookie(scope);
  setCookie(c, name, await scope.services.box.seal(JSON.stringify(flow), `${LABEL}/${scope.id}`), {
    path,
    httpOnly: true,
    secure: scope.cookies.secure,
    sameSite: 'Lax',
    maxAge: SECONDS,
  });
  return flow;
}

/** The try this browser started, once (the cookie is cleared as it is read). */
export async function takeTryFlow(c: Context, scope: IssuerScope): Promise<TryFlow | undefined> {
  const { name, path } = cookie(scope);
  const value = getCookie(c, name);
  if (!value) return undefined;
  deleteCookie(c, name, { path, secure: scope.cookies.secure });
  if (value.length > 4000) return undefined;
  try {
    return JSON.parse(await scope.services.box.open(value, `${LABEL}/${scope.id}`)) as TryFlow;
  } catch {
    return undefined;
  }
}

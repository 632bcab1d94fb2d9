import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuerScope } from '../issuers/scope.js';
import { FLOW_TTL, callbackPath } from './paths.js';

/**
 * The browser's half of a sign-in at an upstream provider: a random secret whose hash the flow
 * row holds, so a callback carrying a state from another browser is refused. Scoped to the
 * provider's callback path and named for the issuer like the other cookies (http/cookies.ts);
 * Lax, so the top-level redirect back from the provider brings it.
 */
function cookieName(scope: IssuerScope): string {
  const secure = scope.url.startsWith('https:') ? '__Secure-' : '';
  return `${secure}gh_upstream${scope.basePath === '' ? '' : `_${scope.id}`}`;
}

export function setFlowCookie(c: Context, scope: IssuerScope, provider: string, value: string): void {
  setCookie(c, cookieName(scope), value, {
    path: scope.path(callbackPath(provider)),
    httpOnly: true,
    secure: scope.url.startsWith('https:'),
    sameSite: 'Lax',
    maxAge: FLOW_TTL,
  });
}

export function getFlowCookie(c: Context, scope: IssuerScope): string | undefined {
  return getCookie(c, cookieName(scope));
}

export function clearFlowCookie(c: Context, scope: IssuerScope, provider: string): void {
  deleteCookie(c, cookieName(scope), { path: scope.path(callbackPath(provider)), secure: scope.url.startsWith('https:') });
}

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuerScope } from '../issuers/scope.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';
import { isApple } from './apple.js';
import { FLOW_TTL, callbackPath } from './paths.js';

function crossSite(provider: Pick<UpstreamProvider, 'preset'>): boolean {
  return isApple(provider);
}

/**
 * The browser's half of a sign-in at an upstream provider: a random secret whose hash the flow
 * row holds, so a callback carrying a state from another browser is refused. Scoped to the
 * provider's callback path and named for the issuer like the other cookies (http/cookies.ts);
 * Lax, so the top-level redirect back from the provider brings it. Apple answers with a
 * cross-site POST (form_post), which a Lax cookie would miss: for it alone the cookie is
 * SameSite=None, and so Secure (browsers keep Secure cookies from http://localhost too).
 */
function cookieName(scope: IssuerScope): string {
  const secure = scope.url.startsWith('https:') ? '__Secure-' : '';
  return `${secure}gh_upstream${scope.basePath === '' ? '' : `_${scope.id}`}`;
}

export function setFlowCookie(c: Context, scope: IssuerScope, provider: Pick<UpstreamProvider, 'id' | 'preset'>, value: string): void {
  const none = crossSite(provider);
  setCookie(c, cookieName(scope), value, {
    path: scope.path(callbackPath(provider.id)),
    httpOnly: true,
    secure: none || scope.url.startsWith('https:'),
    sameSite: none ? 'None' : 'Lax',
    maxAge: FLOW_TTL,
  });
}

export function getFlowCookie(c: Context, scope: IssuerScope): string | undefined {
  return getCookie(c, cookieName(scope));
}

export function clearFlowCookie(c: Context, scope: IssuerScope, provider: Pick<UpstreamProvider, 'id' | 'preset'>): void {
  const none = crossSite(provider);
  deleteCookie(c, cookieName(scope), {
    path: scope.path(callbackPath(provider.id)),
    secure: none || scope.url.startsWith('https:'),
    ...(none ? { sameSite: 'None' as const } : {}),
  });
}

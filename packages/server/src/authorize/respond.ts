import { RedirectableError } from '../errors.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Repos } from '../store/repos.js';
import type { Session } from '../store/repos/sessions.js';
import type { NewAuthorizationCode } from '../store/repos/codes.js';
import type { AuthorizationRequest } from './request.js';
import { idTokenClaimNames } from './claims-request.js';

/** The successful authorization response: code, state and iss (RFC 9207) on the redirect URI. */
export async function issueCode(scope: IssuerScope, repos: Repos, request: AuthorizationRequest, session: Session, scopes: string[]): Promise<string> {
  const code = await repos.codes.create(codeFor(request, session, scopes), scope.settings.codeTtl);
  return codeRedirect(scope, request, code);
}

/** What a code issued for this request, session and scopes is bound to. */
export function codeFor(request: AuthorizationRequest, session: Session, scopes: string[]): NewAuthorizationCode {
  return {
    clientId: request.clientId,
    userId: session.userId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scope: scopes.join(' '),
    nonce: request.nonce ?? null,
    sid: session.sid,
    authTime: session.authTime,
    amr: session.amr,
    acr: session.acr,
    resource: request.resource ?? null,
    idTokenClaims: idTokenClaimNames(request.claims),
  };
}

/** The redirect URI with the code, state and iss. */
export function codeRedirect(scope: IssuerScope, request: AuthorizationRequest, code: string): string {
  const url = new URL(request.redirectUri);
  url.searchParams.set('code', code);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  url.searchParams.set('iss', scope.url);
  return url.href;
}

/** An error for a validated request, sent back to the client by redirect. */
export function redirectError(request: AuthorizationRequest, code: ConstructorParameters<typeof RedirectableError>[0], description: string): RedirectableError {
  return new RedirectableError(code, description, request.redirectUri, request.state);
}

import { RedirectableError } from '../errors.js';
import type { Services } from '../services.js';
import type { Repos } from '../store/repos.js';
import type { Session } from '../store/repos/sessions.js';
import type { AuthorizationRequest } from './request.js';

/** The successful authorization response: code, state and iss (RFC 9207) on the redirect URI. */
export async function issueCode(services: Services, repos: Repos, request: AuthorizationRequest, session: Session, scopes: string[]): Promise<string> {
  const code = await repos.codes.create(
    {
      clientId: request.clientId,
      userId: session.userId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scope: scopes.join(' '),
      nonce: request.nonce ?? null,
      sid: session.sid,
      authTime: session.authTime,
      resource: request.resource ?? null,
    },
    services.config.codeTtl,
  );
  const url = new URL(request.redirectUri);
  url.searchParams.set('code', code);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  url.searchParams.set('iss', services.config.issuer);
  return url.href;
}

/** An error for a validated request, sent back to the client by redirect. */
export function redirectError(request: AuthorizationRequest, code: ConstructorParameters<typeof RedirectableError>[0], description: string): RedirectableError {
  return new RedirectableError(code, description, request.redirectUri, request.state);
}

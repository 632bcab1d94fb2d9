import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { ActiveSession } from '../http/session.js';
import type { AuthorizationRequest } from './request.js';

export type Decision =
  | { needs: 'login' }
  | { needs: 'consent'; session: ActiveSession }
  | { needs: 'nothing'; session: ActiveSession; scopes: string[] };

/** Whether a session may be used without asking the user to sign in again (OIDC Core §3.1.2.1). */
export function sessionSatisfies(request: AuthorizationRequest, active: ActiveSession | undefined, now: number): active is ActiveSession {
  if (!active) return false;
  // max_age=0 is prompt=login (OIDC Core errata 2): with `>` alone a session from this second passed.
  if (request.maxAge === 0) return false;
  if (request.maxAge !== undefined && now - active.session.authTime > request.maxAge) return false;
  if (request.hintSub !== undefined && request.hintSub !== active.user.id) return false;
  return true;
}

/** Scopes this request may receive without a consent page, or undefined if the user must be asked. */
export async function consentedScopes(scope: IssuerScope, client: Client, userId: string, request: AuthorizationRequest): Promise<string[] | undefined> {
  // An explicit prompt=consent is honoured even for first-party apps (OIDC Core §3.1.2.1).
  if (request.prompts.includes('consent')) return undefined;
  if (client.firstParty) return request.scopes;
  const approved = await scope.repos.consents.find(userId, client.id);
  return request.scopes.every((s) => approved.includes(s)) ? request.scopes : undefined;
}

/**
 * What an authorization request needs before a code can be issued. (After a login in the
 * interaction, the login handler asks only consentedScopes: prompt=login is met by then.)
 */
export async function decide(scope: IssuerScope, client: Client, request: AuthorizationRequest, active: ActiveSession | undefined): Promise<Decision> {
  const wantsLogin = request.prompts.includes('login') || request.prompts.includes('select_account');
  if (wantsLogin || !sessionSatisfies(request, active, scope.services.clock())) return { needs: 'login' };
  const scopes = await consentedScopes(scope, client, active.user.id, request);
  if (!scopes) return { needs: 'consent', session: active };
  return { needs: 'nothing', session: active, scopes };
}

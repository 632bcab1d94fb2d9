import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { AuthorizationRequest } from './request.js';

/** Scopes this request may receive without a consent page, or undefined if the user must be asked. */
export async function consentedScopes(scope: IssuerScope, client: Client, userId: string, request: AuthorizationRequest): Promise<string[] | undefined> {
  // An explicit prompt=consent is honoured even for first-party apps (OIDC Core §3.1.2.1).
  if (request.prompts.includes('consent')) return undefined;
  if (client.firstParty) return request.scopes;
  const approved = await scope.repos.consents.find(userId, client.id);
  return request.scopes.every((s) => approved.includes(s)) ? request.scopes : undefined;
}

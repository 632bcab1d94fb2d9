import { PageError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import { fromUiLocales } from '../pages/negotiate.js';
import { say } from '../pages/translator.js';
import { redirectUriMatches } from './redirect-uri.js';
import { MAX_PARAM } from './checks.js';
import type { AuthorizationDraft } from './pipeline.js';
import type { AuthorizationRequest } from './request.js';
import { idpHint } from '../federation/hint.js';

/**
 * Validates an authorization request. Until the client and its redirect URI are established
 * errors are shown as a page (never redirected: RFC 6749 §4.1.2.1); after that they redirect.
 */
export async function validateAuthorizationRequest(params: Params, scope: IssuerScope): Promise<{ request: AuthorizationRequest; client: Client }> {
  const clientId = params.get('client_id');
  // Until the redirect_uri is known, errors are the person's: a page in their language.
  if (clientId === undefined) throw new PageError(say('authorize.noClientId'));
  const client = clientId.length <= 200 ? await scope.repos.clients.find(clientId) : undefined;
  if (!client) throw new PageError(say('authorize.unknownClient'));
  const redirectUri = params.get('redirect_uri');
  if (redirectUri === undefined) throw new PageError(say('authorize.noRedirectUri'));
  if (!redirectUriMatches(client, redirectUri)) {
    throw new PageError(say('authorize.redirectUriNotRegistered'), {
      logged: { event: 'redirect_uri_not_registered', fields: { client: client.id, redirect_uri: redirectUri.slice(0, 500) } },
    });
  }
  const state = params.get('state');
  const draft: AuthorizationDraft = { params, client, redirectUri, state: state && state.length <= MAX_PARAM ? state : undefined, out: {} };
  // The issuer's pipeline (issuers/registries.ts): errors from here on go back by redirect.
  const pending = scope.registries.authorization.run(draft, scope);
  if (pending) await pending;
  const nonce = params.get('nonce');
  const request: AuthorizationRequest = {
    clientId: client.id,
    redirectUri,
    scopes: draft.out.scopes ?? [],
    state,
    nonce,
    codeChallenge: draft.out.codeChallenge ?? '',
    prompts: draft.out.prompts ?? [],
    maxAge: draft.out.maxAge,
    loginHint: params.get('login_hint'),
    // A preference (OIDC Core §3.1.2.1): tags not supported or not well formed are passed over.
    uiLocale: fromUiLocales(params.get('ui_locales')),
    hintSub: draft.out.hintSub,
    resource: draft.out.resource,
    ...(draft.out.acrValues ? { acrValues: draft.out.acrValues } : {}),
    ...(draft.out.claims ? { claims: draft.out.claims } : {}),
    ...idpHint(params.get('idp_hint')),
  };
  return { request, client };
}

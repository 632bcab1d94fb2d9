import { type OAuthError, PageError, RedirectableError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import { fromUiLocales } from '../pages/negotiate.js';
import { say } from '../pages/translator.js';
import { verifyIdTokenHint } from '../tokens/id-token-hint.js';
import { redirectUriMatches } from './redirect-uri.js';
import { type AuthorizationRequest, PROMPTS, type Prompt } from './request.js';

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_PARAM = 2048;

/** Partial request as the checks fill it in; each check may add fields or throw. */
interface Draft {
  params: Params;
  client: Client;
  redirectUri: string;
  state: string | undefined;
  out: Partial<AuthorizationRequest>;
}

type Check = (draft: Draft, scope: IssuerScope) => void | Promise<void>;

function fail(draft: Draft, code: ConstructorParameters<typeof OAuthError>[0], description: string): RedirectableError {
  return new RedirectableError(code, description, draft.redirectUri, draft.state);
}

const checkLengths: Check = (d) => {
  for (const [name, value] of d.params) {
    if (value.length > MAX_PARAM) throw fail(d, 'invalid_request', `Parameter "${name.slice(0, 40)}" is too long`);
  }
};

const checkUnsupported: Check = (d) => {
  if (d.params.has('request')) throw fail(d, 'request_not_supported', 'Request objects are not supported');
  if (d.params.has('request_uri')) throw fail(d, 'request_uri_not_supported', 'request_uri is not supported');
  if (d.params.has('registration')) throw fail(d, 'registration_not_supported', 'The registration parameter is not supported');
};

const checkResponseType: Check = (d) => {
  const responseType = d.params.get('response_type');
  if (responseType === undefined) throw fail(d, 'invalid_request', 'response_type is required');
  if (responseType !== 'code') throw fail(d, 'unsupported_response_type', 'Only response_type=code is supported');
  if (!d.client.grantTypes.includes('authorization_code')) {
    throw fail(d, 'unauthorized_client', 'This client may not use the authorization code flow');
  }
  const mode = d.params.get('response_mode');
  if (mode !== undefined && mode !== 'query') throw fail(d, 'invalid_request', 'Only response_mode=query is supported');
};

const checkPkce: Check = (d) => {
  const challenge = d.params.get('code_challenge');
  const method = d.params.get('code_challenge_method');
  if (challenge === undefined) {
    // A confidential client whose PKCE is optional may send a plain OIDC Core request: its code
    // is bound to it by its secret alone (and the nonce in its ID token). Stored with an empty
    // challenge, which no code_verifier matches. Public clients never: toClient keeps them required.
    if (d.client.pkce === 'optional' && !d.client.isPublic && method === undefined) return;
    throw fail(d, 'invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256');
  }
  // An absent method means "plain" (RFC 7636 §4.3), which is refused like an explicit one.
  if (method !== 'S256') throw fail(d, 'invalid_request', 'code_challenge_method must be S256');
  if (!CHALLENGE.test(challenge)) throw fail(d, 'invalid_request', 'code_challenge must be a base64url SHA-256 hash (43 characters)');
  d.out.codeChallenge = challenge;
};

const checkScope: Check = (d) => {
  const raw = d.params.get('scope');
  if (raw === undefined) throw fail(d, 'invalid_scope', 'scope is required');
  const scopes = [...new Set(raw.split(' ').filter(Boolean))];
  if (scopes.length === 0 || scopes.some((s) => !SCOPE_TOKEN.test(s))) throw fail(d, 'invalid_scope', 'scope is malformed');
  const notAllowed = scopes.filter((s) => !d.client.scopes.includes(s));
  if (notAllowed.length > 0) throw fail(d, 'invalid_scope', `Scope not allowed for this client: ${notAllowed.join(' ').slice(0, 200)}`);
  d.out.scopes = scopes;
};

const checkPrompt: Check = (d) => {
  const raw = d.params.get('prompt');
  const prompts = raw === undefined ? [] : [...new Set(raw.split(' ').filter(Boolean))];
  for (const p of prompts) if (!PROMPTS.includes(p as Prompt)) throw fail(d, 'invalid_request', `Unsupported prompt value: ${p.slice(0, 40)}`);
  if (prompts.includes('none') && prompts.length > 1) throw fail(d, 'invalid_request', 'prompt=none cannot be combined with other values');
  d.out.prompts = prompts as Prompt[];
};

const checkMaxAge: Check = (d) => {
  const raw = d.params.get('max_age');
  if (raw === undefined) return;
  if (!/^\d{1,9}$/.test(raw)) throw fail(d, 'invalid_request', 'max_age must be a non-negative whole number of seconds');
  d.out.maxAge = Number(raw);
};

const checkResource: Check = (d) => {
  const resource = d.params.get('resource');
  if (resource === undefined) return;
  if (!d.client.resources.includes(resource)) throw fail(d, 'invalid_target', 'This resource is not registered for the client');
  d.out.resource = resource;
};

const checkIdTokenHint: Check = async (d, scope) => {
  const hint = d.params.get('id_token_hint');
  if (hint === undefined) return;
  const claims = await verifyIdTokenHint(hint, scope);
  if (!claims || !claims.aud.includes(d.client.id)) throw fail(d, 'invalid_request', 'id_token_hint is not a valid ID token for this client');
  d.out.hintSub = claims.sub;
};

/** The checks after the client and redirect URI are known, in order; errors go back by redirect. */
const CHECKS: readonly Check[] = [
  checkLengths,
  checkUnsupported,
  checkResponseType,
  checkPkce,
  checkScope,
  checkPrompt,
  checkMaxAge,
  checkResource,
  checkIdTokenHint,
];

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
    throw new PageError(say('authorize.redirectUriNotRegistered'), { logged: { event: 'redirect_uri_not_registered', fields: { client: client.id, redirect_uri: redirectUri.slice(0, 500) } } });
  }
  const state = params.get('state');
  const draft: Draft = { params, client, redirectUri, state: state && state.length <= MAX_PARAM ? state : undefined, out: {} };
  for (const check of CHECKS) await check(draft, scope);
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
  };
  return { request, client };
}

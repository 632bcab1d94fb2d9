import { ACR_TWO_FACTORS, ACR_VALUES_SUPPORTED } from '../signin/assurance.js';
import { asksTwoFactors, parseClaimsRequest } from './claims-request.js';
import { verifyIdTokenHint } from '../tokens/id-token-hint.js';
import { type AuthorizationCheck, checkFailed as fail } from './pipeline.js';
import { PROMPTS, type Prompt } from './request.js';

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** The longest parameter value an authorization request may carry. */
export const MAX_PARAM = 2048;

export const LENGTHS: AuthorizationCheck = {
  name: 'lengths',
  run(d) {
    for (const [name, value] of d.params) {
      if (value.length > MAX_PARAM) throw fail(d, 'invalid_request', `Parameter "${name.slice(0, 40)}" is too long`);
    }
  },
};

export const UNSUPPORTED_PARAMETERS: AuthorizationCheck = {
  name: 'unsupported_parameters',
  metadata: { request_parameter_supported: false, request_uri_parameter_supported: false },
  run(d) {
    if (d.params.has('request')) throw fail(d, 'request_not_supported', 'Request objects are not supported');
    if (d.params.has('request_uri')) throw fail(d, 'request_uri_not_supported', 'request_uri is not supported');
    if (d.params.has('registration')) throw fail(d, 'registration_not_supported', 'The registration parameter is not supported');
  },
};

export const RESPONSE_TYPE: AuthorizationCheck = {
  name: 'response_type',
  metadata: { response_types_supported: ['code'], response_modes_supported: ['query'] },
  run(d) {
    const responseType = d.params.get('response_type');
    if (responseType === undefined) throw fail(d, 'invalid_request', 'response_type is required');
    if (responseType !== 'code') throw fail(d, 'unsupported_response_type', 'Only response_type=code is supported');
    if (!d.client.grantTypes.includes('authorization_code')) {
      throw fail(d, 'unauthorized_client', 'This client may not use the authorization code flow');
    }
    const mode = d.params.get('response_mode');
    if (mode !== undefined && mode !== 'query') throw fail(d, 'invalid_request', 'Only response_mode=query is supported');
  },
};

export const PKCE: AuthorizationCheck = {
  name: 'pkce',
  metadata: { code_challenge_methods_supported: ['S256'] },
  run(d) {
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
  },
};

export const SCOPE: AuthorizationCheck = {
  name: 'scope',
  run(d) {
    const raw = d.params.get('scope');
    if (raw === undefined) throw fail(d, 'invalid_scope', 'scope is required');
    const scopes = [...new Set(raw.split(' ').filter(Boolean))];
    if (scopes.length === 0 || scopes.some((s) => !SCOPE_TOKEN.test(s))) throw fail(d, 'invalid_scope', 'scope is malformed');
    const notAllowed = scopes.filter((s) => !d.client.scopes.includes(s));
    if (notAllowed.length > 0) throw fail(d, 'invalid_scope', `Scope not allowed for this client: ${notAllowed.join(' ').slice(0, 200)}`);
    d.out.scopes = scopes;
  },
};

export const PROMPT: AuthorizationCheck = {
  name: 'prompt',
  metadata: { prompt_values_supported: PROMPTS },
  run(d) {
    const raw = d.params.get('prompt');
    const prompts = raw === undefined ? [] : [...new Set(raw.split(' ').filter(Boolean))];
    for (const p of prompts) if (!PROMPTS.includes(p as Prompt)) throw fail(d, 'invalid_request', `Unsupported prompt value: ${p.slice(0, 40)}`);
    if (prompts.includes('none') && prompts.length > 1) throw fail(d, 'invalid_request', 'prompt=none cannot be combined with other values');
    d.out.prompts = prompts as Prompt[];
  },
};

export const MAX_AGE: AuthorizationCheck = {
  name: 'max_age',
  run(d) {
    const raw = d.params.get('max_age');
    if (raw === undefined) return;
    if (!/^\d{1,9}$/.test(raw)) throw fail(d, 'invalid_request', 'max_age must be a non-negative whole number of seconds');
    d.out.maxAge = Number(raw);
  },
};

/**
 * `acr_values` (OIDC Core §3.1.2.1): a space-separated list, in order of preference. It is a
 * voluntary claim, so values this issuer does not define are passed over, never an error.
 */
export const ACR_VALUES: AuthorizationCheck = {
  name: 'acr_values',
  run(d) {
    const raw = d.params.get('acr_values');
    if (raw === undefined) return;
    const asked = [...new Set(raw.split(' ').filter(Boolean))].filter((v) => ACR_VALUES_SUPPORTED.includes(v));
    if (asked.length > 0) d.out.acrValues = asked;
  },
};

/**
 * `claims` (OIDC Core §5.5): which claims go into the ID token and userinfo. Kept with the
 * request and its code; what is released stays bound to the granted scopes (docs/scopes-and-
 * claims.md). An `acr` asked for with Gatehouse's two-factor level steps up as acr_values does.
 */
export const CLAIMS: AuthorizationCheck = {
  name: 'claims',
  metadata: { claims_parameter_supported: true },
  run(d) {
    const raw = d.params.get('claims');
    if (raw === undefined) return;
    const claims = parseClaimsRequest(raw);
    if (typeof claims === 'string') throw fail(d, 'invalid_request', claims);
    d.out.claims = claims;
    if (asksTwoFactors(claims) && !d.out.acrValues?.includes(ACR_TWO_FACTORS)) d.out.acrValues = [...(d.out.acrValues ?? []), ACR_TWO_FACTORS];
  },
};

export const RESOURCE: AuthorizationCheck = {
  name: 'resource',
  run(d) {
    const resource = d.params.get('resource');
    if (resource === undefined) return;
    if (!d.client.resources.includes(resource)) throw fail(d, 'invalid_target', 'This resource is not registered for the client');
    d.out.resource = resource;
  },
};

/**
 * The scopes of a registered API (claims/): a client gets them only for an API it may call
 * (its resources). Scopes of several APIs may be granted together; each access token then
 * carries those of its one audience (grants/token-set.ts, RFC 8707).
 */
export const API_SCOPES: AuthorizationCheck = {
  name: 'api_scopes',
  run(d, scope) {
    const { apis } = scope.registries;
    if (apis.empty) return;
    const refused = (d.out.scopes ?? []).filter((s) => {
      const api = apis.apiOf(s);
      return api !== undefined && !d.client.resources.includes(api.identifier);
    });
    if (refused.length > 0) throw fail(d, 'invalid_scope', `Scope of an API this client may not call: ${refused.join(' ').slice(0, 200)}`);
  },
};

export const ID_TOKEN_HINT: AuthorizationCheck = {
  name: 'id_token_hint',
  run(d, scope) {
    const hint = d.params.get('id_token_hint');
    if (hint === undefined) return undefined;
    return verifyIdTokenHint(hint, scope).then((claims) => {
      if (!claims?.aud.includes(d.client.id)) throw fail(d, 'invalid_request', 'id_token_hint is not a valid ID token for this client');
      d.out.hintSub = claims.sub;
    });
  },
};

/** The checks of an authorization request after its client is known, in the order their errors win. */
export const AUTHORIZATION_CHECKS: readonly AuthorizationCheck[] = [
  LENGTHS,
  UNSUPPORTED_PARAMETERS,
  RESPONSE_TYPE,
  PKCE,
  SCOPE,
  PROMPT,
  MAX_AGE,
  ACR_VALUES,
  CLAIMS,
  RESOURCE,
  API_SCOPES,
  ID_TOKEN_HINT,
];

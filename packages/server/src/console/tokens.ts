import { createLocalJWKSet, jwtVerify } from 'jose';
import type { IssuerScope } from '../issuers/scope.js';
import type { AppFetch } from './api.js';
import { consoleClientId, consoleRedirectUri } from './client.js';

/** What the token endpoint answers the console (RFC 6749 §5.1). */
export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
}

/**
 * A form POST to one of the issuer's OAuth endpoints, in process: how the console, and its try
 * sign-in acting as an app, reach the token and revocation endpoints.
 */
export function postForm(
  fetch: AppFetch,
  scope: IssuerScope,
  endpoint: '/oauth/token' | '/oauth/revoke',
  body: URLSearchParams,
  env?: object,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    fetch(
      new Request(scope.href(endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
        body: body.toString(),
      }),
      env,
    ),
  );
}

/**
 * One request to the issuer's token endpoint as the console (a public client: its client_id in
 * the body, PKCE for the code). Undefined when the endpoint refuses.
 */
export async function tokenRequest(fetch: AppFetch, scope: IssuerScope, params: Record<string, string>, env?: object): Promise<TokenAnswer | undefined> {
  const response = await postForm(fetch, scope, '/oauth/token', new URLSearchParams({ client_id: consoleClientId(scope), ...params }), env);
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  return (await response.json()) as TokenAnswer;
}

export function exchangeCode(fetch: AppFetch, scope: IssuerScope, code: string, verifier: string, env?: object): Promise<TokenAnswer | undefined> {
  return tokenRequest(fetch, scope, { grant_type: 'authorization_code', code, redirect_uri: consoleRedirectUri(scope), code_verifier: verifier }, env);
}

export function refreshTokens(fetch: AppFetch, scope: IssuerScope, refreshToken: string, env?: object): Promise<TokenAnswer | undefined> {
  return tokenRequest(fetch, scope, { grant_type: 'refresh_token', refresh_token: refreshToken }, env);
}

/** Revokes the console's refresh token, which ends its grant and every token of it (RFC 7009). */
export async function revokeRefreshToken(fetch: AppFetch, scope: IssuerScope, refreshToken: string, env?: object): Promise<void> {
  const body = new URLSearchParams({ client_id: consoleClientId(scope), token: refreshToken, token_type_hint: 'refresh_token' });
  const response = await postForm(fetch, scope, '/oauth/revoke', body, env);
  await response.body?.cancel();
}

/**
 * The subject of the console's ID token, verified as a relying party must (OIDC Core §3.1.3.7):
 * signed by this issuer's keys, for the console client, unexpired, with this sign-in's nonce.
 */
export async function verifiedSubject(
  scope: IssuerScope,
  idToken: string,
  nonce: string,
  audience: string = consoleClientId(scope),
): Promise<{ sub: string; email: string | undefined } | undefined> {
  try {
    const keys = createLocalJWKSet(JSON.parse(await scope.keys.jwksJson()));
    const { payload } = await jwtVerify(idToken, keys, {
      issuer: scope.url,
      audience,
      currentDate: new Date(scope.services.clock() * 1000),
    });
    if (payload.nonce !== nonce || typeof payload.sub !== 'string') return undefined;
    return { sub: payload.sub, email: typeof payload.email === 'string' ? payload.email : undefined };
  } catch {
    return undefined;
  }
}

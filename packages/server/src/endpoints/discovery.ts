import type { Context, Hono } from 'hono';
import { issuerScope } from '../http/scope.js';
import { LOCALES } from '../pages/locales.js';
import { CLAIMS_SUPPORTED, SCOPE_CLAIMS } from '../tokens/claims.js';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'];

/** OpenID Provider / RFC 8414 metadata: only what Gatehouse really does. */
export function providerMetadata(site: { url: string }): Record<string, unknown> {
  const base = site.url;
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    userinfo_endpoint: `${base}/oauth/userinfo`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    end_session_endpoint: `${base}/oauth/logout`,
    scopes_supported: Object.keys(SCOPE_CLAIMS),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS.filter((m) => m !== 'none'),
    code_challenge_methods_supported: ['S256'],
    claims_supported: CLAIMS_SUPPORTED,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    ui_locales_supported: LOCALES,
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: false,
    frontchannel_logout_supported: false,
  };
}

export function registerDiscovery(app: Hono): void {
  const serve = (c: Context): Response => {
    const scope = issuerScope(c);
    // The document changes only with the issuer's scope: serialized once per scope.
    scope.discovery ??= JSON.stringify(providerMetadata(scope));
    const body = scope.discovery;
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Type', 'application/json');
    return c.body(body);
  };
  app.get('/.well-known/openid-configuration', serve);
  app.get('/.well-known/oauth-authorization-server', serve);
}

import type { Context, Hono } from 'hono';
import { issuerScope } from '../http/scope.js';
import { LOCALES } from '../pages/locales.js';
import { ACR_VALUES_SUPPORTED } from '../signin/assurance.js';
import type { Registries } from '../issuers/registries.js';

/**
 * OpenID Provider / RFC 8414 metadata: only what Gatehouse really does. What an issuer's
 * registries hold (grant types, client authentication methods, scopes and their claims) is read
 * from them, so the document changes with them.
 */
export function providerMetadata(site: { url: string; registries: Registries }): Record<string, unknown> {
  const base = site.url;
  const { grants, clientAuth, claims, authorization, apis } = site.registries;
  // The code flow's parameters are advertised by its checks only when the issuer has the grant.
  const codeFlow = grants.get('authorization_code') ? authorization.metadata : {};
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    userinfo_endpoint: `${base}/oauth/userinfo`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    // A Gatehouse extension: revoked grant and token ids for resource servers (docs/revocation.md).
    revocation_feed_endpoint: `${base}/oauth/revocations`,
    end_session_endpoint: `${base}/oauth/logout`,
    // The user-facing scopes (built-in and the issuer's own), then its APIs' scopes.
    scopes_supported: apis.empty ? claims.scopes : [...claims.scopes, ...apis.scopeNames],
    response_types_supported: [],
    ...codeFlow,
    grant_types_supported: grants.types,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    token_endpoint_auth_methods_supported: clientAuth.names,
    revocation_endpoint_auth_methods_supported: clientAuth.names,
    // Introspection takes confidential clients only (endpoints/introspect.ts).
    introspection_endpoint_auth_methods_supported: clientAuth.confidentialNames,
    revocation_feed_endpoint_auth_methods_supported: clientAuth.confidentialNames,
    claims_supported: claims.claimsSupported,
    // The levels sessions record and ID tokens state (signin/assurance.ts).
    acr_values_supported: ACR_VALUES_SUPPORTED,
    ui_locales_supported: LOCALES,
    authorization_response_iss_parameter_supported: true,
    // OpenID Connect Back-Channel Logout 1.0 (logout/backchannel.ts); logout tokens always carry sid.
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
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

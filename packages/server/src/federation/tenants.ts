import type * as oauth from 'oauth4webapi';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';

/**
 * Microsoft Entra's multi-tenant endpoints (`/common`, `/organizations`, `/consumers`) publish
 * an issuer template, `…/{tenantid}/v2.0`: each ID token's `iss` names the tenant that signed
 * the user in, and must be the template with the token's own `tid` (Microsoft's validation
 * guidance). Any other issuer is refused like any wrong issuer.
 */
const MULTI_TENANT = /\/(common|organizations|consumers)\/v2\.0$/;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The issuer template a multi-tenant Microsoft provider's metadata must state; undefined for any other provider. */
export function issuerTemplate(provider: UpstreamProvider): string | undefined {
  if (provider.preset !== 'microsoft' || !provider.issuerUrl || !MULTI_TENANT.test(provider.issuerUrl)) return undefined;
  return provider.issuerUrl.replace(MULTI_TENANT, '/{tenantid}/v2.0');
}

export function isTemplated(as: oauth.AuthorizationServer): boolean {
  return as.issuer.includes('{tenantid}');
}

/** The tenant's issuer from an ID token's `tid`: the template filled in, or undefined for a `tid` that is no tenant id. */
export function tenantIssuer(as: oauth.AuthorizationServer, idToken: unknown): string | undefined {
  if (typeof idToken !== 'string') return undefined;
  let claims: { tid?: unknown };
  try {
    claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { tid?: unknown };
  } catch {
    return undefined;
  }
  return typeof claims.tid === 'string' && TENANT_ID.test(claims.tid) ? as.issuer.replace('{tenantid}', claims.tid) : undefined;
}

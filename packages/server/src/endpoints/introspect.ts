import type { Hono } from 'hono';
import { authenticateClient } from '../auth/client-auth.js';
import { OAuthError } from '../errors.js';
import { allowOnly } from '../http/methods.js';
import type { IssuerScope } from '../issuers/scope.js';
import { readProtocolParams } from '../http/protocol-body.js';
import { issuerScope } from '../http/scope.js';
import type { Client } from '../store/repos/clients.js';
import { activeAccessToken } from '../tokens/access-token-check.js';

type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

/**
 * What an access token carries besides what the issuer itself writes (tokens/issuer.ts): the
 * claims its API is configured for (claims/), as they were when the token was issued, so an API
 * that introspects sees what one verifying the JWT sees. `gid` is Gatehouse's own and stays out.
 */
const ISSUER_WRITTEN = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'scope', 'auth_time', 'gid']);

function customClaims(claims: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) if (!ISSUER_WRITTEN.has(name)) custom[name] = value;
  return custom;
}

async function introspectAccessToken(scope: IssuerScope, client: Client, token: string): Promise<Introspection | undefined> {
  const active = await activeAccessToken(scope, token);
  if (!active || active.claims.client_id !== client.id) return undefined;
  const { claims } = active;
  const result: Introspection = {
    // First, so the introspection's own members below always win over a configured claim.
    ...customClaims(claims as unknown as Record<string, unknown>),
    active: true,
    token_type: 'Bearer',
    scope: claims.scope,
    client_id: claims.client_id,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    exp: claims.exp,
    iat: claims.iat,
    jti: claims.jti,
  };
  if (claims.auth_time) result.auth_time = claims.auth_time;
  return result;
}

async function introspectRefreshToken(scope: IssuerScope, client: Client, token: string): Promise<Introspection | undefined> {
  if (token.length > 200) return undefined;
  const found = await scope.repos.refreshTokens.find(token);
  if (!found || found.consumed || found.expiresAt <= scope.services.clock() || found.clientId !== client.id) return undefined;
  const grant = await scope.repos.grants.findActive(found.grantId);
  if (!grant) return undefined;
  const result: Introspection = { active: true, scope: grant.scope, client_id: grant.clientId, exp: found.expiresAt, iss: scope.url };
  if (grant.userId) result.sub = grant.userId;
  return result;
}

/** RFC 7662. A client learns only about its own tokens; everything else is simply inactive. */
export function registerIntrospect(app: Hono): void {
  app.post('/oauth/introspect', async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    const params = await readProtocolParams(c);
    const { client } = await authenticateClient(c, params, issuerScope(c), { confidentialOnly: true });
    const token = params.get('token');
    if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
    // The hint only decides which kind is looked up first (RFC 7662 §2.1).
    const order =
      params.get('token_type_hint') === 'refresh_token' ? [introspectRefreshToken, introspectAccessToken] : [introspectAccessToken, introspectRefreshToken];
    for (const look of order) {
      const result = await look(issuerScope(c), client, token);
      if (result) return c.json(result);
    }
    return c.json({ active: false });
  });
  allowOnly(app, '/oauth/introspect', ['POST']);
}

import type { Context, Hono } from 'hono';
import { bearerToken, insufficientScope, invalidToken } from '../http/bearer.js';
import { type Params, readForm } from '../http/form.js';
import { allowOnly } from '../http/methods.js';
import { issuerScope } from '../http/scope.js';
import { activeUserAccessToken } from '../tokens/access-token-check.js';
import type { ClaimContext } from '../tokens/claim-sources.js';

/** OIDC Core §5.3: the claims the access token's scopes release, about its user, from every claim source. */
export function registerUserinfo(app: Hono): void {
  const handle = async (c: Context, body: Params | undefined): Promise<Response> => {
    c.header('Cache-Control', 'no-store');
    c.header('Access-Control-Allow-Origin', '*');
    const token = bearerToken(c, body);
    const active = await activeUserAccessToken(issuerScope(c), token);
    if (!active || active.user.disabled) throw invalidToken();
    const scopes = active.claims.scope.split(' ');
    if (!scopes.includes('openid')) throw insufficientScope('openid');
    const scope = issuerScope(c);
    const { claims: sources } = scope.registries;
    // The client is not read: userinfo stays the one statement above.
    const context: ClaimContext = { issuerId: scope.id, db: scope.repos.db, user: active.user, clientId: active.claims.client_id, client: undefined, scopes };
    const claims = sources.addSync(context, 'all', { sub: active.user.id });
    // Read now, not from the token: userinfo shows the memberships of this moment. Without an
    // async source's scope nothing is read, so this stays one statement (the grant and user, above).
    const reads = sources.readAsync(context, 'all');
    if (reads) Object.assign(claims, await reads);
    return c.json(claims);
  };

  app.get('/oauth/userinfo', (c) => handle(c, undefined));
  app.post('/oauth/userinfo', async (c) => {
    // A POST may carry the token in a form body (RFC 6750 §2.2) or have no body at all.
    const hasBody = c.req.header('content-type') !== undefined || Number(c.req.header('content-length') ?? '0') > 0;
    return handle(c, hasBody ? await readForm(c) : undefined);
  });
  app.options('/oauth/userinfo', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Allow-Methods', 'GET, POST');
    c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });
  allowOnly(app, '/oauth/userinfo', ['GET', 'POST']);
}

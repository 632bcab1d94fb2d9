import type { Hono } from 'hono';
import { authenticateClient } from '../auth/client-auth.js';
import { OAuthError } from '../errors.js';
import { allowOnly } from '../http/methods.js';
import { readProtocolParams } from '../http/protocol-body.js';
import { issuerScope } from '../http/scope.js';

/**
 * The token endpoint (RFC 6749 §3.2): authenticates the client, then runs the grant the issuer's
 * grant registry (issuers/registries.ts) has for `grant_type`.
 */
export function registerToken(app: Hono): void {
  app.post('/oauth/token', async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    const params = await readProtocolParams(c);
    const scope = issuerScope(c);
    const { client } = await authenticateClient(c, params, scope);
    const grantType = params.get('grant_type');
    if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
    const { grants } = scope.registries;
    const handler = grants.get(grantType);
    if (!handler) throw new OAuthError('unsupported_grant_type', grants.unsupportedMessage);
    // A client is registered with the grant types it may use (services/clients.ts).
    if (!(client.grantTypes as readonly string[]).includes(grantType)) {
      throw new OAuthError('unauthorized_client', `This client may not use the ${grantType} grant`);
    }
    const response = await handler.handle(scope, client, params);
    scope.services.metrics.tokenIssued(scope.id, grantType);
    return c.json(response);
  });
  allowOnly(app, '/oauth/token', ['POST']);
}

import type { Hono } from 'hono';
import { authenticateClient } from '../auth/client-auth.js';
import { OAuthError } from '../errors.js';
import { authorizationCodeGrant } from '../grants/authorization-code.js';
import { clientCredentialsGrant } from '../grants/client-credentials.js';
import { refreshTokenGrant } from '../grants/refresh-token.js';
import type { TokenResponse } from '../grants/token-set.js';
import type { Params } from '../http/form.js';
import { allowOnly } from '../http/methods.js';
import type { IssuerScope } from '../issuers/scope.js';
import { readProtocolParams } from '../http/protocol-body.js';
import { issuerScope } from '../http/scope.js';
import type { Client, GrantType } from '../store/repos/clients.js';

type GrantHandler = (scope: IssuerScope, client: Client, params: Params) => Promise<TokenResponse>;

const GRANTS: Record<GrantType, GrantHandler> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};

/** The token endpoint (RFC 6749 §3.2): authenticates the client, then runs one grant. */
export function registerToken(app: Hono): void {
  app.post('/oauth/token', async (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    const params = await readProtocolParams(c);
    const { client } = await authenticateClient(c, params, issuerScope(c).repos);
    const grantType = params.get('grant_type');
    if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
    const handler = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType as GrantType] : undefined;
    if (!handler) throw new OAuthError('unsupported_grant_type', 'Supported grant types: authorization_code, refresh_token, client_credentials');
    if (!client.grantTypes.includes(grantType as GrantType)) {
      throw new OAuthError('unauthorized_client', `This client may not use the ${grantType} grant`);
    }
    const response = await handler(issuerScope(c), client, params);
    issuerScope(c).services.metrics.tokenIssued(issuerScope(c).id, grantType);
    return c.json(response);
  });
  allowOnly(app, '/oauth/token', ['POST']);
}

import type { Hono } from 'hono';
import { authenticateClient } from '../auth/client-auth.js';
import { OAuthError } from '../errors.js';
import { allowOnly } from '../http/methods.js';
import type { IssuerScope } from '../issuers/scope.js';
import { readProtocolParams } from '../http/protocol-body.js';
import { issuerScope } from '../http/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { AccessTokenClaims } from '../tokens/issuer.js';
import { revokeGrant } from '../services/grants.js';

function notYours(): OAuthError {
  return new OAuthError('unauthorized_client', 'The token was not issued to this client');
}

/** A refresh token ends its whole grant, with every access token issued under it. */
async function revokeRefreshToken(scope: IssuerScope, client: Client, token: string): Promise<boolean> {
  if (token.length > 200) return false;
  const found = await scope.repos.refreshTokens.find(token);
  if (!found) return false;
  if (found.clientId !== client.id) throw notYours();
  await revokeGrant(scope.repos, { grantId: found.grantId }, 'revoked_by_client');
  return true;
}

async function revokeAccessToken(scope: IssuerScope, client: Client, token: string): Promise<boolean> {
  if (token.length > 4096) return false;
  let claims: AccessTokenClaims;
  try {
    claims = await scope.tokens.verifyAccessToken(token);
  } catch {
    return false; // Expired or not ours: nothing left to revoke.
  }
  if (claims.client_id !== client.id) throw notYours();
  // A client_credentials token (no grant) has the client as its subject, not a user.
  await scope.repos.accessTokenRevocations.revoke(claims.jti, claims.exp, { clientId: client.id, userId: claims.gid === undefined ? null : claims.sub });
  return true;
}

/** RFC 7009. Unknown and already invalid tokens answer 200 too (§2.2). */
export function registerRevoke(app: Hono): void {
  app.post('/oauth/revoke', async (c) => {
    c.header('Cache-Control', 'no-store');
    const params = await readProtocolParams(c);
    const { client } = await authenticateClient(c, params, issuerScope(c));
    const token = params.get('token');
    if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
    const order = params.get('token_type_hint') === 'access_token' ? [revokeAccessToken, revokeRefreshToken] : [revokeRefreshToken, revokeAccessToken];
    for (const revoke of order) {
      if (await revoke(issuerScope(c), client, token)) {
        // Committed: resource servers listening by webhook hear of it now, not at the next poll.
        issuerScope(c).services.webhooks.wake();
        break;
      }
    }
    return c.body(null, 200);
  });
  allowOnly(app, '/oauth/revoke', ['POST']);
}

import { OAuthError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { GrantTypeHandler } from './registry.js';
import { callHooks } from '../claims/hook.js';
import type { Claims } from '../tokens/claim-sources.js';
import type { SuccessorOf } from '../store/repos/refresh-token-rows.js';
import {
  type RecordedTokenSet,
  type TokenResponse,
  claimsBeforeCommit,
  planUserTokens,
  planWithRefreshToken,
  recordUserTokens,
  requestedResource,
  signUserTokens,
} from './token-set.js';
import { revokeGrant } from '../services/grants.js';

const INVALID_SCOPE = 'The requested scope exceeds what was granted';

/** The distinct scopes of a `scope` parameter; null without one, [] when it names none. */
function askedScopes(params: Params): string[] | null {
  const raw = params.get('scope');
  return raw === undefined ? null : [...new Set(raw.split(' ').filter(Boolean))];
}

/** The scopes asked for on refresh: all of the grant's, or a subset of them (RFC 6749 §6). */
function narrowedScopes(asked: string[] | null, granted: string[]): string[] {
  if (asked === null) return granted;
  if (asked.length === 0 || asked.some((s) => !granted.includes(s))) throw new OAuthError('invalid_scope', INVALID_SCOPE);
  return asked;
}

const grantedScopes = (scope: string): string[] => scope.split(' ').filter(Boolean);

/** The successor of a chain's secret: keyed by the master secret, per issuer and chain (refresh-token-rows.ts). */
function successors(scope: IssuerScope): SuccessorOf {
  return (id, secret) => scope.services.box.mac(secret, `refresh-successor/${scope.id}/${id}`);
}

/**
 * The claims hooks' answer for the grant of a refresh token (claims/hook.ts), asked before the
 * rotation so no transaction is open while they are called: two reads (the token's chain, the
 * grant with its user), for issuers with hooks only. A token that is not live asks nothing.
 */
async function hooksForRefresh(
  scope: IssuerScope,
  client: Client,
  token: string,
  asked: string[] | null,
  resource: string | undefined,
): Promise<Claims | undefined> {
  const { hooks } = scope.registries.apis;
  if (hooks.length === 0) return undefined;
  const live = await scope.repos.refreshTokens.find(token);
  if (!live || live.consumed || live.clientId !== client.id) return undefined;
  const found = await scope.repos.grants.findActiveWithUser(live.grantId);
  if (!found || found.user.disabled) return undefined;
  const granted = grantedScopes(found.grant.scope);
  const scopes = asked === null ? granted : asked.filter((s) => granted.includes(s));
  return callHooks(scope, hooks, { event: 'refresh', sub: found.user.id, client, scopes, resource: resource ?? found.grant.resource });
}

/**
 * RFC 6749 §6 with rotation (RFC 9700 §4.14.2): each refresh spends the token and returns a new
 * one atomically; presenting a spent token revokes the whole grant. A client with a reuse grace
 * (`--refresh-reuse-grace`) may present the token it just rotated again within that many
 * seconds, when two of its instances refreshed at once: it gets the chain's current successor
 * (the token the other request got) and a new access token of the same grant, and nothing is
 * revoked. Never a new chain: a thief's copy used within the grace shares the owner's chain, so
 * the next rotation by either still exposes the other's reuse; and the chain's end stays where
 * it was. Outside the grace, or for a token rotated past twice, reuse revokes as ever.
 */
export async function refreshTokenGrant(scope: IssuerScope, client: Client, params: Params): Promise<TokenResponse> {
  const token = params.get('refresh_token');
  if (token === undefined) throw new OAuthError('invalid_request', 'refresh_token is required');
  if (token.length > 200) throw new OAuthError('invalid_grant', 'The refresh token is invalid or has expired');
  const asked = askedScopes(params);
  // Checked before the token is spent: a refresh for an API the client has not got keeps its token.
  const resource = requestedResource(scope, client, params);
  const hookClaims = await hooksForRefresh(scope, client, token, asked, resource);

  // The usual case, one statement on PostgreSQL: a live token of a live grant, rotated.
  const scopesOf = (granted: string): string[] => narrowedScopes(asked, grantedScopes(granted));
  const successorOf = successors(scope);
  const rotated =
    asked?.length === 0
      ? undefined
      : await scope.repos.refreshTokens.rotate(token, client.id, asked, successorOf, claimsBeforeCommit(scope, client, scopesOf, resource));
  if (rotated) {
    const { grant, user, refreshToken, read } = rotated;
    return signUserTokens(scope, planUserTokens(scope, { client, grant, user, scopes: scopesOf(grant.scope), resource, hookClaims }, refreshToken, read));
  }

  // Anything else changed nothing so far; this finds out why, and answers a reused token.
  let reusedGrant: string | undefined;
  const outcome = await scope.transaction(async (repos): Promise<RecordedTokenSet | string> => {
    const grace = client.refreshReuseGrace > 0 ? { seconds: client.refreshReuseGrace, successorOf } : undefined;
    reusedGrant = undefined;
    const result = await repos.refreshTokens.consume(token, client.id, grace);
    if (result.status === 'grace') {
      const found = await repos.grants.findActiveWithUser(result.token.grantId);
      if (!found) return 'The grant has been revoked or has expired';
      if (found.user.disabled) return 'The user can no longer sign in';
      scope.services.logger.log('info', 'refresh_token_reuse_in_grace', { client: client.id, grant: result.token.grantId });
      const scopes = narrowedScopes(asked, grantedScopes(found.grant.scope));
      return planWithRefreshToken(scope, repos, { client, ...found, scopes, resource, hookClaims }, result.successor);
    }
    if (result.status === 'reused') {
      await repos.events.record({ type: 'token.reused', clientId: client.id, payload: { kind: 'refresh_token', grant_id: result.token.grantId } });
      await revokeGrant(repos, { grantId: result.token.grantId }, 'refresh_token_reused');
      reusedGrant = result.token.grantId;
      return 'The refresh token was already used; the grant is revoked';
    }
    if (result.status === 'invalid') return 'The refresh token is invalid or has expired';
    // A grant without a user (client_credentials) has no refresh tokens, so none is found here.
    const found = await repos.grants.findActiveWithUser(result.token.grantId);
    if (!found) return 'The grant has been revoked or has expired';
    const { grant, user } = found;
    if (user.disabled) return 'The user can no longer sign in';
    // Thrown, not returned: a bad scope rolls back, so the client keeps its refresh token.
    const scopes = narrowedScopes(asked, grantedScopes(grant.scope));
    return recordUserTokens(scope, repos, { client, grant, user, scopes, resource, hookClaims });
  });
  if (reusedGrant !== undefined) {
    // Logged by the error handler with the request's id, once the revocation has committed.
    scope.services.metrics.refreshReuse(scope.id);
    throw new OAuthError('invalid_grant', outcome as string, { logged: { event: 'refresh_token_reuse', fields: { client: client.id, grant: reusedGrant } } });
  }
  if (typeof outcome === 'string') throw new OAuthError('invalid_grant', outcome);
  return signUserTokens(scope, outcome);
}

export const REFRESH_TOKEN_GRANT: GrantTypeHandler = { type: 'refresh_token', handle: refreshTokenGrant };

import { OAuthError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { GrantTypeHandler } from './registry.js';
import { newGrantId } from '../store/repos/grants.js';
import { safeEqual, sha256 } from '../tokens/random.js';
import {
  type RecordedTokenSet,
  type TokenResponse,
  claimsBeforeCommit,
  planUserTokens,
  recordUserTokens,
  requestedResource,
  signUserTokens,
} from './token-set.js';
import { revokeGrant } from '../services/grants.js';
import { callHooks } from '../claims/hook.js';
import type { Claims } from '../tokens/claim-sources.js';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** The stored challenge of a code issued without PKCE (authorize/validate.ts). */
const NO_CHALLENGE = '';

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthError('invalid_request', `${name} is required`);
  return value;
}

/**
 * The claims hooks' answer for the code's user (claims/hook.ts), asked before the exchange so no
 * transaction is open while they are called: one read of the code, for issuers with hooks only.
 * A code that is not live asks nothing (the exchange then says why).
 */
async function hooksForCode(scope: IssuerScope, client: Client, code: string, resource: string | undefined): Promise<Claims | undefined> {
  const { hooks } = scope.registries.apis;
  if (hooks.length === 0 || code.length > 200) return undefined;
  const live = await scope.repos.codes.peek(code, client.id);
  if (!live) return undefined;
  const scopes = live.scope.split(' ').filter(Boolean);
  return callHooks(scope, hooks, { event: 'code_exchange', sub: live.userId, client, scopes, resource: resource ?? live.resource });
}

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636). The code is spent atomically with the creation of its
 * grant; a failed check still spends it, and a replay revokes what the first exchange produced.
 */
export async function authorizationCodeGrant(scope: IssuerScope, client: Client, params: Params): Promise<TokenResponse> {
  const code = required(params, 'code');
  const redirectUri = required(params, 'redirect_uri');
  // Without a verifier the exchange matches only a code issued without a challenge, which only a
  // client whose PKCE is optional gets; a verifier matches only the code's own challenge, so a
  // code issued without one refuses any (RFC 9700 §2.1.1): no downgrade either way.
  const verifier = client.pkce === 'optional' ? params.get('code_verifier') : required(params, 'code_verifier');
  if (verifier !== undefined && !VERIFIER.test(verifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 unreserved characters');
  const challenge = verifier === undefined ? NO_CHALLENGE : sha256(verifier);
  if (code.length > 200) throw new OAuthError('invalid_grant', 'The authorization code is invalid or has expired');
  const resource = requestedResource(scope, client, params);
  const hookClaims = await hooksForCode(scope, client, code, resource);

  const grantId = newGrantId();
  const grantTtl = scope.settings.refreshTokenTtl;
  // The usual case, one statement on PostgreSQL: every check passes and the code becomes a grant.
  const scopesOf = (granted: string): string[] => granted.split(' ').filter(Boolean);
  const exchanged = await scope.repos.codes.exchange(
    code,
    { clientId: client.id, redirectUri, challenge },
    { id: grantId, ttl: grantTtl },
    client.grantTypes.includes('refresh_token'),
    claimsBeforeCommit(scope, client, scopesOf, resource, true),
  );
  if (exchanged) {
    const { grant, user, refreshToken, read } = exchanged;
    const scopes = scopesOf(exchanged.code.scope);
    return signUserTokens(
      scope,
      planUserTokens(
        scope,
        { client, grant, user, scopes, nonce: exchanged.code.nonce, resource, hookClaims, askedClaims: exchanged.code.idTokenClaims },
        refreshToken,
        read,
      ),
    );
  }

  // Anything else changed nothing so far: this spends the code and says why (a replay revokes).
  const outcome = await scope.transaction(async (repos): Promise<RecordedTokenSet | string> => {
    const result = await repos.codes.consume(code, client.id, grantId);
    if (result.status === 'reused') {
      await repos.events.record({
        type: 'token.reused',
        userId: result.code.userId,
        clientId: client.id,
        payload: { kind: 'authorization_code', grant_id: result.code.grantId },
      });
      if (result.code.grantId) await revokeGrant(repos, { grantId: result.code.grantId }, 'code_reused');
      return 'The authorization code was already used; the tokens issued for it are revoked';
    }
    if (result.status === 'invalid') return 'The authorization code is invalid or has expired';
    const stored = result.code;
    if (stored.redirectUri !== redirectUri) return 'redirect_uri does not match the authorization request';
    if (stored.codeChallenge === NO_CHALLENGE && verifier !== undefined) return 'code_verifier was sent for a code issued without code_challenge';
    if (stored.codeChallenge !== NO_CHALLENGE && verifier === undefined) return 'code_verifier is required: the authorization request had a code_challenge';
    if (!safeEqual(challenge, stored.codeChallenge)) return 'code_verifier does not match the code_challenge';
    const user = await repos.users.findById(stored.userId);
    if (!user || user.disabled) return 'The user can no longer sign in';
    const grant = await repos.grants.create(
      {
        id: grantId,
        clientId: client.id,
        userId: user.id,
        scope: stored.scope,
        sid: stored.sid,
        authTime: stored.authTime,
        amr: stored.amr,
        acr: stored.acr,
        resource: stored.resource,
      },
      grantTtl,
    );
    const scopes = scopesOf(stored.scope);
    return recordUserTokens(scope, repos, { client, grant, user, scopes, nonce: stored.nonce, resource, hookClaims, askedClaims: stored.idTokenClaims });
  });
  // Returned rather than thrown, so the transaction commits the spent code (and any revocation).
  if (typeof outcome === 'string') throw new OAuthError('invalid_grant', outcome);
  return signUserTokens(scope, outcome);
}

export const AUTHORIZATION_CODE_GRANT: GrantTypeHandler = { type: 'authorization_code', handle: authorizationCodeGrant };

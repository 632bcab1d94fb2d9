import { OAuthError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { Grant } from '../store/repos/grants.js';
import type { Repos } from '../store/repos.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { User } from '../store/repos/users.js';
import { type Claims, idTokenRelease } from '../tokens/claim-sources.js';
import type { BeforeCommit } from '../store/repos/refresh-rotation.js';
import type { PlannedAccessToken } from '../tokens/issuer.js';

/** RFC 6749 §5.1 token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface TokenSetInput {
  client: Client;
  grant: Grant;
  user: User;
  scopes: string[];
  nonce?: string | null;
  /** The token request's `resource` (requestedResource), when it named one. */
  resource?: string | undefined;
}

/** A token set whose rows are written but whose JWTs are not signed yet. */
export interface RecordedTokenSet {
  input: TokenSetInput;
  access: PlannedAccessToken;
  refreshToken: string | undefined;
  /** The ID token's claims of async sources (organizations), read before the commit; undefined when none applies. */
  readClaims: Claims | undefined;
}

/**
 * The ID token's claims from async claim sources (tokens/claim-sources.ts), read in `db` (the
 * transaction); undefined, with no statement, when the scopes release none. Read before the
 * access token's audience is settled, so taken as userinfo's: an async source that is not
 * `always` reaches the ID token through the client's id_token_claims switch only.
 */
async function idTokenReads(scope: IssuerScope, db: Kysely<Database>, client: Client, user: User, scopes: readonly string[]): Promise<Claims | undefined> {
  if (!scopes.includes('openid')) return undefined;
  return scope.registries.claims.readAsync({ issuerId: scope.id, db, user, clientId: client.id, client, scopes }, idTokenRelease(client, true));
}

/**
 * The claim read that spends nothing when it fails (see BeforeCommit), for a client that may be
 * granted a scope with an async claim source for its ID token (organizations); undefined for
 * every other client, whose code exchange and refresh stay one statement that commits by itself.
 * `scopesOf` gives the scopes the tokens will carry from the scope the code or grant holds.
 */
export function claimsBeforeCommit(scope: IssuerScope, client: Client, scopesOf: (granted: string) => string[]): BeforeCommit<Claims | undefined> | undefined {
  if (!scope.registries.claims.mayReadForIdToken(client, idTokenRelease(client, true))) return undefined;
  return (trx, user, granted) => idTokenReads(scope, trx, client, user, scopesOf(granted));
}

/** The audience of a client_credentials token: the requested resource, else the client's first API, else the issuer. */
export function audienceFor(scope: IssuerScope, client: Client, resource: string | null): string {
  return resource ?? client.resources[0] ?? scope.url;
}

/**
 * The `resource` of a token request for a user's grant (RFC 8707 §2.2), checked before anything
 * is spent: one of the client's APIs, or the issuer itself, whose audience is userinfo's. A
 * grant's APIs need no consent of their own (consent is per scope), so any of the client's may
 * be asked for here as at the authorization request.
 */
export function requestedResource(scope: IssuerScope, client: Client, params: Params): string | undefined {
  const resource = params.get('resource');
  if (resource === undefined || resource === scope.url || client.resources.includes(resource)) return resource;
  throw new OAuthError('invalid_target', 'This resource is not registered for the client');
}

/**
 * The one audience of a user's access token (RFC 8707: one per token, so an API that receives
 * it cannot replay it at another, nor at userinfo): the resource the token request named, else
 * the one the authorization request named; else, for a sign-in (`openid`), the issuer, whose
 * userinfo endpoint accepts only tokens for it; else the client's first API.
 */
export function userTokenAudience(scope: IssuerScope, client: Client, grant: Grant, scopes: readonly string[], requested: string | undefined): string {
  if (requested !== undefined) return requested;
  if (grant.resource) return grant.resource;
  return scopes.includes('openid') ? scope.url : (client.resources[0] ?? scope.url);
}

/**
 * Decides what a user grant returns and writes the only part that is stored: a new refresh
 * token, when the client may refresh. Runs inside the caller's transaction, so the new refresh token exists
 * exactly when the code or old token is spent. Nothing here reads outside that transaction.
 */
export async function recordUserTokens(scope: IssuerScope, repos: Repos, input: TokenSetInput): Promise<RecordedTokenSet> {
  const { client, grant, user, scopes } = input;
  const refreshToken = client.grantTypes.includes('refresh_token') ? await repos.refreshTokens.create(grant.id, client.id, grant.expiresAt) : undefined;
  return planUserTokens(scope, input, refreshToken, await idTokenReads(scope, repos.db, client, user, scopes));
}

/**
 * A token set for the refresh token the grant's chain already has (a reuse within the client's
 * grace): nothing is written; the claim reads run in the caller's transaction.
 */
export async function planWithRefreshToken(scope: IssuerScope, repos: Repos, input: TokenSetInput, refreshToken: string): Promise<RecordedTokenSet> {
  return planUserTokens(scope, input, refreshToken, await idTokenReads(scope, repos.db, input.client, input.user, input.scopes));
}

/** The token set of a grant whose refresh token (if any) and claim reads are done. */
export function planUserTokens(scope: IssuerScope, input: TokenSetInput, refreshToken: string | undefined, readClaims: Claims | undefined): RecordedTokenSet {
  const { client, grant, user, scopes } = input;
  const access = scope.tokens.planAccessToken({
    clientId: client.id,
    sub: user.id,
    scope: scopes.join(' '),
    audience: userTokenAudience(scope, client, grant, scopes, input.resource),
    grantId: grant.id,
    authTime: grant.authTime,
  });
  return { input, access, refreshToken, readClaims };
}

/** Signs a recorded token set after its transaction committed: the access token and, for openid, an ID token. */
export async function signUserTokens(scope: IssuerScope, recorded: RecordedTokenSet): Promise<TokenResponse> {
  const { client, grant, user, scopes, nonce } = recorded.input;
  const wantsIdToken = scopes.includes('openid');
  const accessToken = await scope.tokens.signAccessToken(recorded.access);
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: recorded.access.exp - recorded.access.iat,
    scope: recorded.access.input.scope,
  };
  if (recorded.refreshToken) response.refresh_token = recorded.refreshToken;
  if (wantsIdToken) {
    // Sync sources (profile, email) go in for a client with id_token_claims, or when the access
    // token is for an API and userinfo would refuse it (OIDC Core §5.4).
    const context = { issuerId: scope.id, db: scope.repos.db, user, clientId: client.id, client, scopes };
    const forUserinfo = recorded.access.input.audience === scope.url;
    const claims = scope.registries.claims.addSync(context, idTokenRelease(client, forUserinfo), recorded.readClaims ?? {});
    response.id_token = await scope.tokens.idToken({
      clientId: client.id,
      alg: client.idTokenAlg,
      sub: user.id,
      authTime: grant.authTime ?? recorded.access.iat,
      nonce,
      sid: grant.sid,
      amr: grant.amr,
      acr: grant.acr,
      accessToken,
      claims,
    });
  }
  return response;
}

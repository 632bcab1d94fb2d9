import { OAuthError } from '../errors.js';
import type { Params } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { Grant } from '../store/repos/grants.js';
import type { Repos } from '../store/repos.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { User } from '../store/repos/users.js';
import { type ClaimContext, type Claims, idTokenRelease } from '../tokens/claim-sources.js';
import type { BeforeCommit } from '../store/repos/refresh-rotation.js';
import type { PlannedAccessToken } from '../tokens/issuer.js';
import type { ApiDefinition } from '../claims/config.js';
import { resolveClaims } from '../claims/resolve.js';

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
  /** Claim names the authorization request's `claims` parameter asked into the ID token (OIDC Core §5.5). */
  askedClaims?: readonly string[] | undefined;
  /** What the issuer's claims hooks added (claims/hook.ts), called before anything was spent. */
  hookClaims?: Claims | undefined;
}

/** What a token set read before its commit: the ID token's async claims and the API's access-token claims. */
export interface TokenReads {
  id: Claims | undefined;
  access: Claims | undefined;
}

/** A token set whose rows are written but whose JWTs are not signed yet. */
export interface RecordedTokenSet {
  input: TokenSetInput;
  access: PlannedAccessToken;
  refreshToken: string | undefined;
  /** What was read before the commit; undefined when nothing applied. */
  reads: TokenReads | undefined;
}

/** Where an access token goes (RFC 8707: one audience) and the scopes it carries there. */
export interface TokenTarget {
  audience: string;
  scopes: string[];
  /** The registered API of the audience, if it is one (claims/registries.ts). */
  api: ApiDefinition | undefined;
}

/**
 * The one audience of a user's access token (RFC 8707: one per token, so an API that receives
 * it cannot replay it at another, nor at userinfo): the resource the token request named, else
 * the one the authorization request named; else the one registered API whose scopes were
 * granted, when the client may call it; else, for a sign-in (`openid`), the issuer, whose
 * userinfo endpoint accepts only tokens for it; else the client's first API. The token carries
 * the granted scopes of that audience only (ApiRegistry.scopesFor). A registered API the token
 * request names must be covered by the grant (RFC 8707 §2.2): the authorization request named
 * it, or one of its scopes was granted; else invalid_target, thrown before anything is spent.
 */
export function tokenTarget(
  scope: IssuerScope,
  client: Client,
  grantResource: string | null,
  scopes: readonly string[],
  requested: string | undefined,
): TokenTarget {
  const { apis } = scope.registries;
  const named = requested ?? grantResource ?? undefined;
  const inferred = named === undefined ? apis.onlyApiOf(scopes) : undefined;
  const audience =
    named ??
    (inferred && client.resources.includes(inferred.identifier) ? inferred.identifier : undefined) ??
    (scopes.includes('openid') ? scope.url : (client.resources[0] ?? scope.url));
  const api = apis.api(audience);
  if (api && requested !== undefined && grantResource !== api.identifier && !scopes.some((s) => apis.apiOf(s) === api)) {
    throw new OAuthError('invalid_target', 'The grant has no scope of this resource');
  }
  return { audience, scopes: apis.empty ? [...scopes] : apis.scopesFor(audience, scopes), api };
}

/** The one context the reads of a token set share (so its sources share their statements). */
function claimContext(scope: IssuerScope, db: Kysely<Database>, client: Client, user: User, scopes: readonly string[]): ClaimContext {
  return { issuerId: scope.id, db, user, clientId: client.id, client, scopes };
}

/**
 * What a token set reads, in `db` (the transaction): the ID token's claims from async claim
 * sources (tokens/claim-sources.ts) and, for an API that has some, its access-token claims;
 * undefined, with no statement, when neither applies.
 */
async function tokenReads(
  scope: IssuerScope,
  db: Kysely<Database>,
  input: Pick<TokenSetInput, 'client' | 'user' | 'scopes' | 'resource' | 'askedClaims'>,
  grantResource: string | null,
): Promise<TokenReads | undefined> {
  const { client, user, scopes } = input;
  const target = tokenTarget(scope, client, grantResource, scopes, input.resource);
  const context = claimContext(scope, db, client, user, scopes);
  const release = idTokenRelease(client, target.audience === scope.url);
  const id = scopes.includes('openid') ? scope.registries.claims.readAsync(context, release, askedSet(input.askedClaims)) : undefined;
  const apiClaims = target.api?.claims ?? [];
  const access = apiClaims.length > 0 ? resolveClaims(apiClaims, scope.registries.apis.attributes, context) : undefined;
  if (!id && !access) return undefined;
  return { id: await id, access: await access };
}

/** The claim names asked for, as the registry takes them; undefined for none. */
function askedSet(asked: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return asked && asked.length > 0 ? new Set(asked) : undefined;
}

/**
 * The reads that spend nothing when they fail (see BeforeCommit), for a client that may be
 * granted a scope with an async claim source for its ID token (organizations) or may ask for a
 * registered API; undefined for every other client, whose code exchange and refresh stay one
 * statement that commits by itself. `scopesOf` gives the scopes the tokens will carry from the
 * scope the code or grant holds. `mayAsk`: a code exchange, whose request may have asked for
 * claims by name (the `claims` parameter), so any async source of the client's scopes may be read.
 */
export function claimsBeforeCommit(
  scope: IssuerScope,
  client: Client,
  scopesOf: (granted: string) => string[],
  requested: string | undefined,
  mayAsk = false,
): BeforeCommit<TokenReads | undefined> | undefined {
  const { claims, apis } = scope.registries;
  const mayRead =
    claims.mayReadForIdToken(client, idTokenRelease(client, client.resources.length === 0)) || (mayAsk && claims.mayReadForIdToken(client, 'all'));
  const forApi = !apis.empty && (requested !== undefined ? apis.api(requested) !== undefined : client.resources.some((r) => apis.api(r) !== undefined));
  if (!mayRead && !forApi) return undefined;
  return (trx, user, granted, resource, asked) =>
    tokenReads(scope, trx, { client, user, scopes: scopesOf(granted), resource: requested, askedClaims: asked }, resource);
}

/** The audience of a client_credentials token: the requested resource, else the client's first API, else the issuer. */
export function audienceFor(scope: IssuerScope, client: Client, resource: string | null): string {
  return resource ?? client.resources[0] ?? scope.url;
}

/**
 * The `resource` of a token request for a user's grant (RFC 8707 §2.2), checked before anything
 * is spent: one of the client's APIs, or the issuer itself, whose audience is userinfo's. A
 * grant's APIs need no consent of their own (consent is per scope), so any of the client's may
 * be asked for here as at the authorization request (a registered API only when the grant
 * covers it: tokenTarget).
 */
export function requestedResource(scope: IssuerScope, client: Client, params: Params): string | undefined {
  const resource = params.get('resource');
  if (resource === undefined || resource === scope.url || client.resources.includes(resource)) return resource;
  throw new OAuthError('invalid_target', 'This resource is not registered for the client');
}

/**
 * Decides what a user grant returns and writes the only part that is stored: a new refresh
 * token, when the client may refresh. Runs inside the caller's transaction, so the new refresh token exists
 * exactly when the code or old token is spent. Nothing here reads outside that transaction.
 */
export async function recordUserTokens(scope: IssuerScope, repos: Repos, input: TokenSetInput): Promise<RecordedTokenSet> {
  const { client, grant } = input;
  // First: an invalid_target rolls the transaction back before a refresh token is made.
  const reads = await tokenReads(scope, repos.db, input, grant.resource);
  const refreshToken = client.grantTypes.includes('refresh_token') ? await repos.refreshTokens.create(grant.id, client.id, grant.expiresAt) : undefined;
  return planUserTokens(scope, input, refreshToken, reads);
}

/**
 * A token set for the refresh token the grant's chain already has (a reuse within the client's
 * grace): nothing is written; the claim reads run in the caller's transaction.
 */
export async function planWithRefreshToken(scope: IssuerScope, repos: Repos, input: TokenSetInput, refreshToken: string): Promise<RecordedTokenSet> {
  return planUserTokens(scope, input, refreshToken, await tokenReads(scope, repos.db, input, input.grant.resource));
}

/** An API's access-token claims: those it is configured for, from its reads and the hooks' answers. */
function accessClaims(target: TokenTarget, hooks: Claims | undefined, read: Claims | undefined): Claims | undefined {
  if (!target.api || (!hooks && !read)) return read;
  const claims: Claims = { ...read };
  for (const name of target.api.claims) if (hooks && Object.hasOwn(hooks, name)) claims[name] = hooks[name];
  return claims;
}

/** The token set of a grant whose refresh token (if any) and claim reads are done. */
export function planUserTokens(scope: IssuerScope, input: TokenSetInput, refreshToken: string | undefined, reads: TokenReads | undefined): RecordedTokenSet {
  const { client, grant, user, scopes } = input;
  const target = tokenTarget(scope, client, grant.resource, scopes, input.resource);
  const access = scope.tokens.planAccessToken({
    clientId: client.id,
    sub: user.id,
    scope: target.scopes.join(' '),
    audience: target.audience,
    grantId: grant.id,
    authTime: grant.authTime,
    ttl: target.api?.accessTokenTtl ?? undefined,
    claims: accessClaims(target, input.hookClaims, reads?.access),
  });
  return { input, access, refreshToken, reads };
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
    // token is for an API and userinfo would refuse it (OIDC Core §5.4); else those the request
    // asked for by name of the granted scopes (§5.5).
    const context = { issuerId: scope.id, db: scope.repos.db, user, clientId: client.id, client, scopes };
    const forUserinfo = recorded.access.input.audience === scope.url;
    const claims = scope.registries.claims.addSync(
      context,
      idTokenRelease(client, forUserinfo),
      { ...recorded.input.hookClaims, ...recorded.reads?.id },
      askedSet(recorded.input.askedClaims),
    );
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

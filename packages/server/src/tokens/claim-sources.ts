import type { Kysely } from 'kysely';
import type { Client } from '../store/repos/clients.js';
import type { Database } from '../store/schema.js';
import type { User } from '../store/repos/users.js';

export type Claims = Record<string, unknown>;

/** What a source may look at to decide its claims: the user, the app and the granted scopes. */
export interface ClaimContext {
  readonly issuerId: string;
  /** The database or the transaction the token set is written in (an async read before a commit). */
  readonly db: Kysely<Database>;
  readonly user: User;
  /** The app the claims are for. */
  readonly clientId: string;
  /** Its registration, where the request has read it (the token endpoint; userinfo does not). */
  readonly client: Client | undefined;
  readonly scopes: readonly string[];
}

/**
 * Where a source's claims go besides userinfo. `always`: the ID token too (Gatehouse's own
 * claims, such as `organizations`, that apps read from it). `without_access_token`: the ID token
 * only when no access token that userinfo takes is issued with it, or the client's
 * `id_token_claims` switch is on (OIDC Core §5.4: with an access token, the standard profile
 * claims are for userinfo). A token for an API (`resource`) is refused at userinfo, so a
 * sign-in that gets one has them in its ID token, the only place it can read them.
 */
export type IdTokenRelease = 'always' | 'without_access_token';

interface SourceBase {
  /** The scope whose grant releases the source's claims. */
  readonly scope: string;
  /** Every claim it may release: only these are copied from what it resolves (discovery lists them). */
  readonly claims: readonly string[];
  readonly idToken: IdTokenRelease;
}

/**
 * A source read from what the request already holds (the user's row): resolved after the
 * transaction, without a promise. A value null or undefined is left out.
 */
export interface SyncClaimSource extends SourceBase {
  readonly kind: 'sync';
  resolve(context: ClaimContext): Claims;
}

/**
 * A source that reads (the database, later an upstream): for an ID token from the token endpoint
 * it runs inside the transaction before the commit, so a failed read spends no code or refresh
 * token (see BeforeCommit); at userinfo when the request is answered.
 */
export interface AsyncClaimSource extends SourceBase {
  readonly kind: 'async';
  resolve(context: ClaimContext): Promise<Claims>;
}

/** A scope with no resolver releases only what the token issuer itself sets (openid: `sub`). */
export interface ProtocolScope extends SourceBase {
  readonly kind: 'protocol';
}

export type ClaimSource = SyncClaimSource | AsyncClaimSource | ProtocolScope;

/**
 * Claims the issuer sets on the tokens it signs: no source may release one of these. Besides
 * the JWT and session claims, the ID token's own bindings (nonce, azp and the hashes), which a
 * source could otherwise set where the request left them out.
 */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'client_id',
  'scope',
  'cnf',
  'auth_time',
  'acr',
  'amr',
  'sid',
  'nonce',
  'azp',
  'at_hash',
  'c_hash',
  's_hash',
]);

/** What the ID token carries besides the sources' claims (discovery's `claims_supported`). */
const ID_TOKEN_PROTOCOL_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'azp', 'at_hash', 'sid', 'amr', 'acr'];

export class ClaimSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimSourceError';
  }
}

/**
 * Which sources a response takes claims from: `all` for userinfo, and for an ID token issued
 * without an access token for userinfo or to a client with `id_token_claims`; `id_token` for an
 * ID token issued with one: only the sources released there `always`.
 */
export type ClaimRelease = 'all' | 'id_token';

/** The release of an ID token for `client` (OIDC Core §5.4). */
export function idTokenRelease(client: Client, accessTokenForUserinfo: boolean): ClaimRelease {
  return !accessTokenForUserinfo || client.idTokenClaims ? 'all' : 'id_token';
}

/**
 * The claims of `source` a response takes: all it declares where `release` takes the source;
 * else those of them the request's `claims` parameter asked for by name (`asked`), the scope
 * being granted (OIDC Core §5.5); else none (undefined).
 */
function released(source: ClaimSource, release: ClaimRelease, asked: ReadonlySet<string> | undefined): readonly string[] | undefined {
  if (release === 'all' || source.idToken === 'always') return source.claims;
  if (!asked || asked.size === 0) return undefined;
  const names = source.claims.filter((c) => asked.has(c));
  return names.length > 0 ? names : undefined;
}

/** Copies `names` (what the source declares, or part of it) from `resolved`: a resolver can set no other claim, reserved or not. */
function pick(names: readonly string[], resolved: Claims, into: Claims): Claims {
  for (const name of names) {
    const value = resolved[name];
    if (value !== null && value !== undefined) into[name] = value;
  }
  return into;
}

/**
 * The claim sources of one issuer, one per scope, fixed when built: lookups are a Map read, and
 * scopes without an async source make no promise. Built-in sources (claims.ts,
 * organizations-claim.ts) are shared by every issuer; an issuer with its own sources (the custom
 * claims issue) gets its own registry from `with`, built once per issuer scope, not per request.
 */
export class ClaimRegistry {
  readonly #byScope: ReadonlyMap<string, ClaimSource>;
  /** Scopes released by a source (discovery's scopes_supported), in registration order. */
  readonly scopes: readonly string[];
  /** Every claim the issuer may put in an ID token or userinfo, each once. */
  readonly claimsSupported: readonly string[];
  /** Scopes whose async source may go into an ID token with an access token (no switch needed). */
  readonly #asyncAlways: readonly string[];
  readonly #asyncAny: readonly string[];

  constructor(sources: readonly ClaimSource[]) {
    const byScope = new Map<string, ClaimSource>();
    for (const source of sources) {
      if (byScope.has(source.scope)) throw new ClaimSourceError(`two claim sources for the scope "${source.scope}"`);
      if (source.kind !== 'protocol') {
        const reserved = source.claims.filter((c) => RESERVED_CLAIMS.has(c));
        if (reserved.length > 0)
          throw new ClaimSourceError(`the claim source of "${source.scope}" may not release ${reserved.join(', ')}: the issuer sets them`);
      }
      byScope.set(source.scope, source);
    }
    this.#byScope = byScope;
    this.scopes = [...byScope.keys()];
    this.claimsSupported = [...new Set([...sources.flatMap((s) => s.claims), ...ID_TOKEN_PROTOCOL_CLAIMS])];
    this.#asyncAlways = sources.filter((s) => s.kind === 'async' && s.idToken === 'always').map((s) => s.scope);
    this.#asyncAny = sources.filter((s) => s.kind === 'async').map((s) => s.scope);
  }

  /** A registry with these sources added, or put in the place of this one's of the same scope. */
  with(sources: readonly ClaimSource[]): ClaimRegistry {
    const current = [...this.#byScope.values()];
    const replacing = new Map(current.filter((s) => sources.some((n) => n.scope === s.scope)).map((s) => [s.scope, s]));
    const kept = current.map((s) => (replacing.has(s.scope) ? (sources.find((n) => n.scope === s.scope) as ClaimSource) : s));
    return new ClaimRegistry([...kept, ...sources.filter((s) => !replacing.has(s.scope))]);
  }

  source(scope: string): ClaimSource | undefined {
    return this.#byScope.get(scope);
  }

  /** Whether a scope names a claim source: a scope about a user, meaningless without one (client_credentials). */
  isUserScope(scope: string): boolean {
    return this.#byScope.has(scope);
  }

  /**
   * Whether an ID token for `client` may need an async read, so its token request reads it
   * before the commit; false for most clients, whose exchange stays one statement.
   */
  mayReadForIdToken(client: Client, release: ClaimRelease): boolean {
    const scopes = release === 'all' ? this.#asyncAny : this.#asyncAlways;
    return scopes.some((s) => client.scopes.includes(s));
  }

  /**
   * Adds the claims of the sync sources of the context's scopes that `release` takes to `into`,
   * and those `asked` for by name (the `claims` parameter) of the other granted scopes.
   */
  addSync(context: ClaimContext, release: ClaimRelease, into: Claims, asked?: ReadonlySet<string>): Claims {
    for (const scope of context.scopes) {
      const source = this.#byScope.get(scope);
      if (source?.kind !== 'sync') continue;
      const names = released(source, release, asked);
      if (names) pick(names, source.resolve(context), into);
    }
    return into;
  }

  /**
   * The claims of the async sources of the context's scopes that `release` takes (and those
   * `asked` for by name of the other granted scopes), or undefined, without creating any
   * promise, when none applies (the common case).
   */
  readAsync(context: ClaimContext, release: ClaimRelease, asked?: ReadonlySet<string>): Promise<Claims> | undefined {
    let reads: [AsyncClaimSource, readonly string[]][] | undefined;
    for (const scope of context.scopes) {
      const source = this.#byScope.get(scope);
      if (source?.kind !== 'async') continue;
      const names = released(source, release, asked);
      if (!names) continue;
      if (reads) reads.push([source, names]);
      else reads = [[source, names]];
    }
    if (!reads) return undefined;
    const all = reads;
    if (all.length === 1) {
      const [only, names] = all[0] as [AsyncClaimSource, readonly string[]];
      return only.resolve(context).then((resolved) => pick(names, resolved, {}));
    }
    return Promise.all(all.map(([source]) => source.resolve(context))).then((results) => {
      const claims: Claims = {};
      for (const [i, resolved] of results.entries()) pick((all[i] as [AsyncClaimSource, readonly string[]])[1], resolved, claims);
      return claims;
    });
  }
}

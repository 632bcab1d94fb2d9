import type { ClaimSource } from '../tokens/claim-sources.js';
import type { ApiDefinition, AttributeDefinition, ClaimsConfig, ScopeDefinition } from './config.js';
import type { HookDefinition } from './hook.js';
import type { StripeConnection } from './stripe.js';
import { resolveClaims } from './resolve.js';

/**
 * An issuer's APIs by identifier and by scope, and its custom scopes, fixed when its scope is
 * built (issuers/scopes.ts): lookups at authorize and token are Map reads.
 */
export class ApiRegistry {
  readonly #byIdentifier: ReadonlyMap<string, ApiDefinition>;
  readonly #byScope: ReadonlyMap<string, ApiDefinition>;
  readonly #scopes: ReadonlyMap<string, ScopeDefinition>;
  readonly attributes: ReadonlyMap<string, AttributeDefinition>;
  /** Every API scope, for discovery's scopes_supported. */
  readonly scopeNames: readonly string[];
  /** The claims hooks, called at code exchange and refresh (claims/hook.ts). */
  readonly hooks: readonly HookDefinition[];
  /** The issuer's Stripe connection (claims/stripe.ts), if it has one. */
  readonly stripe: StripeConnection | undefined;

  constructor(config: ClaimsConfig) {
    this.#byIdentifier = new Map(config.apis.map((a) => [a.identifier, a]));
    this.#byScope = new Map(config.apis.flatMap((a) => a.scopes.map((s): [string, ApiDefinition] => [s.name, a])));
    this.#scopes = new Map(config.scopes.map((s) => [s.name, s]));
    this.attributes = new Map(config.attributes.map((a) => [a.name, a]));
    this.scopeNames = config.apis.flatMap((a) => a.scopes.map((s) => s.name));
    this.hooks = config.hooks ?? [];
    this.stripe = config.stripe;
  }

  /** No API registered (the claims of custom scopes and hooks may still be). */
  get empty(): boolean {
    return this.#byIdentifier.size === 0;
  }

  api(identifier: string): ApiDefinition | undefined {
    return this.#byIdentifier.get(identifier);
  }

  /** The API a scope belongs to, if it is an API scope. */
  apiOf(scope: string): ApiDefinition | undefined {
    return this.#byScope.get(scope);
  }

  /** The issuer's own user-facing scope of that name. */
  customScope(name: string): ScopeDefinition | undefined {
    return this.#scopes.get(name);
  }

  /** The one API whose scopes `scopes` include, when exactly one is (the audience RFC 8707 lets the server infer). */
  onlyApiOf(scopes: readonly string[]): ApiDefinition | undefined {
    let found: ApiDefinition | undefined;
    for (const s of scopes) {
      const api = this.#byScope.get(s);
      if (!api) continue;
      if (found && found !== api) return undefined;
      found = api;
    }
    return found;
  }

  /**
   * The scopes an access token for `audience` carries (RFC 8707 §2: one audience per token): for
   * an API, its own scopes among those granted; for anything else (userinfo, an API registered
   * only on the client), the granted scopes that belong to no API.
   */
  scopesFor(audience: string, scopes: readonly string[]): string[] {
    const api = this.#byIdentifier.get(audience);
    return api ? scopes.filter((s) => this.#byScope.get(s) === api) : scopes.filter((s) => !this.#byScope.has(s));
  }
}

export const NO_APIS = new ApiRegistry({ apis: [], scopes: [], attributes: [], hooks: [] });

/** The claim sources of an issuer's custom scopes: each an async source over resolveClaims. */
export function customSources(config: ClaimsConfig, apis: ApiRegistry): ClaimSource[] {
  return config.scopes.map(
    (scope): ClaimSource => ({
      kind: 'async',
      scope: scope.name,
      claims: scope.claims,
      idToken: scope.idToken ? 'always' : 'without_access_token',
      resolve: (context) => resolveClaims(scope.claims, apis.attributes, context),
    }),
  );
}

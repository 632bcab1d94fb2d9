import type { Services } from '../services.js';
import { IssuerRepository, type IssuerRecord } from '../store/repos/issuers.js';
import { KeyStore, keyTiming } from '../tokens/keys.js';
import { SecretBox } from '../tokens/secret.js';
import { DEFAULT_ISSUER_ID, ROUTE_ROOTS, looksLikeIssuerId } from './ids.js';
import { ClaimConfigRepository } from '../store/repos/claim-config.js';
import { registriesFor } from './registries.js';
import { type IssuerScope, buildScope } from './scope.js';
import { type IssuerSettings, defaultSettings, resolveSettings } from './settings.js';

/** A request's issuer and the route inside it (the path with the issuer's prefix taken off). */
export interface Resolved {
  scope: IssuerScope;
  path: string;
}

interface Entry {
  scope: IssuerScope;
  checkedAt: number;
}

interface Route {
  id: string;
  url: string;
  basePath: string;
  /** The route inside the issuer. */
  path: string;
  /** The default issuer's route for the path, when `id` turns out to name no issuer. */
  fallback: string;
}

/** The authorization server metadata's well-known URI (RFC 8414 §3), served by endpoints/discovery.ts. */
const RFC8414_METADATA = '/.well-known/oauth-authorization-server';

/** Seconds a scope's settings (and the custom domains) are used before they are read again. */
export const SCOPE_TTL_SECONDS = 30;

/** Least recently used first out, past `max` entries: a thousand issuers cost a bounded cache. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  clear(): void {
    this.entries.clear();
  }
  get size(): number {
    return this.entries.size;
  }
  keys(): string[] {
    return [...this.entries.keys()];
  }
}

/**
 * The issuers of the process: resolves each request to its issuer (a registered custom domain,
 * else `<GATEHOUSE_ISSUER>/<id>`, else the default issuer) and keeps the scopes of recently
 * used issuers, bounded, each re-read after SCOPE_TTL_SECONDS so a change made elsewhere (the
 * CLI, another instance) is seen. Only registered domains are believed: any other Host or
 * X-Forwarded-Host leaves every URL as GATEHOUSE_ISSUER says.
 */
export class IssuerScopes {
  private readonly scopes: Lru<Entry>;
  private readonly keys: Lru<KeyStore>;
  /**
   * Ids looked up and not found, with when: a path that names no issuer (a scanner walking
   * `/<anything>/…`) costs one read per id per SCOPE_TTL_SECONDS, not one per request. Bounded.
   */
  private readonly unknown: Lru<number>;
  private readonly pending = new Map<string, Promise<IssuerScope | undefined>>();
  private readonly repo: IssuerRepository;
  private readonly defaults: IssuerSettings;
  /** The default issuer's path on its host: '' or like /auth. */
  private readonly mainBase: string;
  private domains = new Map<string, string>();
  private domainsCheckedAt = Number.NEGATIVE_INFINITY;
  private domainsLoading: Promise<void> | undefined;
  private readonly box: SecretBox;

  constructor(
    private readonly services: Services,
    secret: string,
    max = 512,
  ) {
    this.scopes = new Lru(max);
    this.keys = new Lru(max);
    this.unknown = new Lru(max * 8);
    this.repo = new IssuerRepository(services.store.db, services.clock);
    this.defaults = defaultSettings(services.config);
    const main = new URL(services.config.issuer);
    this.mainBase = main.pathname.replace(/\/+$/, '');
    this.box = new SecretBox(secret, 'signing-keys');
  }

  get issuers(): IssuerRepository {
    return this.repo;
  }

  /** How many scopes are cached now (for the memory benchmark and tests). */
  get cachedCount(): number {
    return this.scopes.size;
  }

  /** How many unknown ids are remembered as unknown now (tests). */
  get unknownCount(): number {
    return this.unknown.size;
  }

  /** The default issuer at GATEHOUSE_ISSUER. */
  async defaultScope(): Promise<IssuerScope> {
    const scope = await this.scopeAt(DEFAULT_ISSUER_ID, this.services.config.issuer, this.mainBase);
    if (!scope) throw new Error('the default issuer is missing: run `gatehouse migrate`');
    return scope;
  }

  /** An issuer's own URL: GATEHOUSE_ISSUER for the default one, else its first custom domain, else its path. */
  urlOf(record: Pick<IssuerRecord, 'id' | 'domains'>): { url: string; basePath: string } {
    if (record.id === DEFAULT_ISSUER_ID) return { url: this.services.config.issuer, basePath: this.mainBase };
    const domain = record.domains[0];
    return domain
      ? { url: `https://${domain}`, basePath: '' }
      : { url: `${this.services.config.issuer}/${record.id}`, basePath: `${this.mainBase}/${record.id}` };
  }

  /** An issuer by id at its own URL (urlOf); undefined when there is none. */
  async byId(id: string): Promise<IssuerScope | undefined> {
    if (id === DEFAULT_ISSUER_ID) return this.defaultScope();
    const record = await this.repo.find(id);
    if (!record) return undefined;
    const { url, basePath } = this.urlOf(record);
    return this.scopeAt(id, url, basePath);
  }

  /** Forgets what is cached of an issuer (after this process changed it). */
  invalidate(id?: string): void {
    if (id === undefined) {
      this.scopes.clear();
      this.unknown.clear();
    } else {
      for (const key of this.scopes.keys()) if (key.startsWith(`${id} `)) this.scopes.delete(key);
      this.unknown.delete(id);
    }
    this.domainsCheckedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Which issuer a request is for, and its route there. Answered at once (no promise, no I/O)
   * when what it needs is cached: a request's body is then read in the same turn it arrived.
   */
  resolve(request: Request): Resolved | undefined | Promise<Resolved | undefined> {
    const { url } = request;
    const start = url.indexOf('/', url.indexOf('://') + 3);
    const query = url.indexOf('?', start);
    const path = start === -1 ? '/' : url.slice(start, query === -1 ? undefined : query);
    if (!this.domainsStale() && this.domains.size === 0) {
      const known = this.cachedRoute(path);
      if (known) return known;
    }
    return this.resolveSlowly(request, path);
  }

  /** The fast path: no custom domains, and the issuer's scope cached and fresh. */
  private cachedRoute(path: string): Resolved | undefined {
    const route = this.routeOf(path);
    if (!route) return undefined;
    const entry = this.scopes.get(`${route.id} ${route.url}`);
    if (!entry || this.services.clock() - entry.checkedAt >= SCOPE_TTL_SECONDS) return undefined;
    return { scope: entry.scope, path: route.path };
  }

  /** The issuer a path names under GATEHOUSE_ISSUER: `/<id>/…` of a possible id, else the default. */
  private routeOf(path: string): Route | undefined {
    if (path.startsWith(RFC8414_METADATA) && path[RFC8414_METADATA.length] === '/') {
      const named = this.metadataRoute(path);
      if (named) return named;
    }
    if (!path.startsWith(this.mainBase)) return undefined;
    const rest = path.slice(this.mainBase.length) || '/';
    if (rest[0] !== '/') return undefined;
    const slash = rest.indexOf('/', 1);
    const first = slash === -1 ? rest.slice(1) : rest.slice(1, slash);
    if (first !== '' && !ROUTE_ROOTS.has(first) && looksLikeIssuerId(first) && first !== DEFAULT_ISSUER_ID) {
      return {
        id: first,
        url: `${this.services.config.issuer}/${first}`,
        basePath: `${this.mainBase}/${first}`,
        path: slash === -1 ? '/' : rest.slice(slash),
        fallback: rest,
      };
    }
    return { id: DEFAULT_ISSUER_ID, url: this.services.config.issuer, basePath: this.mainBase, path: rest, fallback: rest };
  }

  /**
   * RFC 8414 §3.1: an issuer with a path has its metadata at the host's root, the path after the
   * well-known suffix (`/.well-known/oauth-authorization-server/idp` for http://host/idp). That
   * one URL lives outside the issuer's path; it names the issuer exactly, or nothing.
   */
  private metadataRoute(path: string): Route | undefined {
    const issuerPath = path.slice(RFC8414_METADATA.length);
    const route = this.routeOf(issuerPath);
    if (!route || route.basePath !== issuerPath) return undefined;
    return { ...route, path: RFC8414_METADATA, fallback: path };
  }

  private async resolveSlowly(request: Request, path: string): Promise<Resolved | undefined> {
    if (this.domainsStale()) {
      // A failed re-read keeps the domains known so far; only the very first read must succeed.
      const first = this.domainsCheckedAt === Number.NEGATIVE_INFINITY && this.domains.size === 0;
      await this.loadDomains().catch((error: unknown) => {
        if (first) throw error;
      });
    }
    if (this.domains.size > 0) {
      const host = this.hostOf(request);
      const id = host === undefined ? undefined : this.domains.get(host);
      if (id !== undefined) {
        const scope = await this.scopeAt(id, `https://${host}`, '');
        return scope && { scope, path };
      }
    }
    const route = this.routeOf(path);
    if (!route) return undefined;
    if (route.id !== DEFAULT_ISSUER_ID) {
      const scope = await this.scopeAt(route.id, route.url, route.basePath);
      if (scope) return { scope, path: route.path };
    }
    // Not an issuer: the default issuer's path, which its routes answer (or not).
    return { scope: await this.defaultScope(), path: route.fallback };
  }

  private hostOf(request: Request): string | undefined {
    const forwarded = this.services.config.trustProxy ? request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
    const raw = forwarded || request.headers.get('host');
    if (!raw) return undefined;
    return raw.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  }

  private domainsStale(): boolean {
    return this.services.clock() - this.domainsCheckedAt >= SCOPE_TTL_SECONDS;
  }

  private loadDomains(): Promise<void> {
    this.domainsLoading ??= (async () => {
      try {
        this.domains = await this.repo.domains();
        this.domainsCheckedAt = this.services.clock();
      } finally {
        this.domainsLoading = undefined;
      }
    })();
    return this.domainsLoading;
  }

  private async scopeAt(id: string, url: string, basePath: string): Promise<IssuerScope | undefined> {
    const key = `${id} ${url}`;
    const entry = this.scopes.get(key);
    const now = this.services.clock();
    if (entry && now - entry.checkedAt < SCOPE_TTL_SECONDS) return entry.scope;
    const missedAt = entry ? undefined : this.unknown.get(id);
    if (missedAt !== undefined && now - missedAt < SCOPE_TTL_SECONDS) return undefined;
    let loading = this.pending.get(key);
    if (!loading) {
      // While the database cannot be read, a scope already known goes on serving: the handlers
      // then answer as they do without a database.
      loading = this.load(id, url, basePath, entry)
        .catch((error: unknown) => {
          if (entry) return entry.scope;
          throw error;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, loading);
    }
    return loading;
  }

  private async load(id: string, url: string, basePath: string, previous: Entry | undefined): Promise<IssuerScope | undefined> {
    const key = `${id} ${url}`;
    const record = await this.repo.find(id);
    if (!record) {
      this.scopes.delete(key);
      this.unknown.set(id, this.services.clock());
      return undefined;
    }
    this.unknown.delete(id);
    const now = this.services.clock();
    // The revision too: a change of the issuer's APIs, scopes or attributes bumps it (claims/service.ts).
    const version = JSON.stringify([record.name, record.settings, record.revision]);
    if (previous && previous.scope.version === version) {
      this.scopes.set(key, { scope: previous.scope, checkedAt: now });
      return previous.scope;
    }
    const settings = this.settingsOf(record);
    // Read once per revision, never per request: the claims configuration is a few rows.
    const registries = registriesFor(await new ClaimConfigRepository(this.services.store.db, this.services.clock, id).load());
    const scope = buildScope(this.services, { id, url, basePath, settings, version, keys: this.keyStore(id, settings), registries });
    this.scopes.set(key, { scope, checkedAt: now });
    return scope;
  }

  private settingsOf(record: IssuerRecord): IssuerSettings {
    return resolveSettings(this.defaults, record.name, record.settings);
  }

  /** One key store per issuer, shared by its URLs; bounded like the scopes. */
  private keyStore(id: string, settings: IssuerSettings): KeyStore {
    let keys = this.keys.get(id);
    if (!keys) {
      const { config, store, clock } = this.services;
      const ttl = Math.max(settings.accessTokenTtl, settings.idTokenTtl);
      keys = new KeyStore(store.db, this.box, clock, ttl, keyTiming(config.keyPublishLead), id, this.services.keyPairs);
      this.keys.set(id, keys);
    }
    return keys;
  }
}

import type { Kysely } from 'kysely';
import { Cookies } from '../http/cookies.js';
import type { Services } from '../services.js';
import { type Repos, createRepos } from '../store/repos.js';
import type { Database } from '../store/schema.js';
import { TokenIssuer } from '../tokens/issuer.js';
import type { KeyStore } from '../tokens/keys.js';
import { DEFAULT_ISSUER_ID } from './ids.js';
import { BUILT_IN_REGISTRIES, type Registries } from './registries.js';
import type { IssuerSettings } from './settings.js';

/**
 * Everything a request touches that belongs to one issuer, resolved once per request
 * (issuers/scopes.ts) and passed down: its URL, settings, repositories bound to it, keys,
 * tokens and cookies. The process-wide services ride along as `services`.
 */
export interface IssuerScope {
  readonly id: string;
  /** The issuer identifier (`iss`), no trailing slash. */
  readonly url: string;
  /** The path the issuer is served under on its host: '' at the root, else like /acme. */
  readonly basePath: string;
  readonly settings: IssuerSettings;
  readonly repos: Repos;
  readonly keys: KeyStore;
  readonly tokens: TokenIssuer;
  readonly cookies: Cookies;
  readonly services: Services;
  /** Grant types, client authentication, authorization checks and claim sources (registries.ts). */
  readonly registries: Registries;
  /** What the scope was built from (name and settings): a record that differs replaces the scope. */
  readonly version: string;
  /** Runs `fn` in one database transaction, with this issuer's repositories bound to it. */
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** The path of one of the issuer's routes on its host (for links, forms and cookies). */
  path(route: string): string;
  /** The absolute URL of one of the issuer's routes. */
  href(route: string): string;
  /** Discovery's document, serialized once per scope (endpoints/discovery.ts). */
  discovery?: string;
  /** The pages' stylesheet in the issuer's colours, made once per scope (endpoints/assets.ts). */
  stylesheet?: string;
}

export interface ScopeParts {
  id: string;
  url: string;
  basePath: string;
  settings: IssuerSettings;
  version: string;
  keys: KeyStore;
  /** The issuer's own registries (registriesFor); the built-in ones when absent. */
  registries?: Registries;
}

const OTHER_ISSUERS_VERIFIED_CACHE = 1_000;

/** Builds the scope of one issuer at one URL; cheap (no I/O): keys load on first use. */
export function buildScope(services: Services, parts: ScopeParts): IssuerScope {
  const { db } = services.store;
  const clock = services.clock;
  const repos = createRepos(db, clock, parts.id, services.clientCache);
  const site = { url: parts.url, settings: parts.settings };
  return {
    ...parts,
    repos,
    tokens: new TokenIssuer(site, parts.keys, clock, parts.id === DEFAULT_ISSUER_ID ? undefined : OTHER_ISSUERS_VERIFIED_CACHE),
    cookies: new Cookies(parts),
    services,
    registries: parts.registries ?? BUILT_IN_REGISTRIES,
    transaction: <T>(fn: (repos: Repos) => Promise<T>): Promise<T> =>
      db.transaction().execute((trx: Kysely<Database>) => fn(createRepos(trx, clock, parts.id))),
    path: (route: string): string => `${parts.basePath}${route}`,
    href: (route: string): string => `${parts.url}${route}`,
  };
}

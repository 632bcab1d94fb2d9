import { invalid } from '../services/errors.js';
import { type Locale, LOCALES, isLocale } from '../pages/locales.js';
import { RESERVED_CLAIMS } from '../tokens/claim-sources.js';
import { BUILT_IN_CLAIMS, BUILT_IN_SCOPES } from './built-in.js';
import type { HookDefinition } from './hook.js';
import type { StripeConnection } from './stripe.js';
import { type JsonSchema, SchemaError, checkSchema } from './json-schema.js';

/** One scope of an API, e.g. `payments:refund`, with what it lets the app do. */
export interface ApiScope {
  name: string;
  description: string;
}

/** A resource server (RFC 8707 §2: its identifier is the `resource` apps ask tokens for). */
export interface ApiDefinition {
  identifier: string;
  name: string;
  scopes: ApiScope[];
  /** Seconds its access tokens live; null for the issuer's accessTokenTtl. */
  accessTokenTtl: number | null;
  /** The claims about the user its access tokens carry (attributes or built-in claims). */
  claims: string[];
}

/** A user-facing scope of the issuer's own: what the consent page says and what it releases. */
export interface ScopeDefinition {
  name: string;
  /** What the consent page says, by language; `en` is required and stands in for the others. */
  descriptions: Partial<Record<Locale, string>> & { en: string };
  claims: string[];
  /** Whether the user may untick it on the consent page (and the app still signs in); default true. */
  optional: boolean;
  /** Whether its claims go into the ID token even with an access token for userinfo. */
  idToken: boolean;
}

export type AttributeTarget = 'user' | 'organization';

/** A typed attribute: the claim of the same name, its value valid against `schema`. */
export interface AttributeDefinition {
  name: string;
  target: AttributeTarget;
  schema: JsonSchema;
  description: string;
}

/** Everything one issuer has configured about scopes, APIs and claims. */
export interface ClaimsConfig {
  apis: ApiDefinition[];
  scopes: ScopeDefinition[];
  attributes: AttributeDefinition[];
  /** Claims hooks (claims/hook.ts); absent in configurations stored before them. */
  hooks?: HookDefinition[];
  /** The Stripe connection (claims/stripe.ts), if any. */
  stripe?: StripeConnection;
}

export const EMPTY_CONFIG: ClaimsConfig = { apis: [], scopes: [], attributes: [], hooks: [] };

const SCOPE_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;
const CLAIM_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_TTL = 86_400;
/** Gatehouse's own access-token claims besides the reserved ones: `gid`, the grant (tokens/issuer.ts). */
const ISSUER_CLAIMS: ReadonlySet<string> = new Set(['gid']);

/** A definition that breaks a rule: the CLI's exit 2, the Admin API's 400 (services/errors.ts). */
function fail(message: string): never {
  throw invalid(undefined, message);
}

function text(value: unknown, what: string, max: number, required = true): string {
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || (required && value.trim() === '')) fail(`${what} is required`);
  if (value.length > max) fail(`${what} is at most ${max} characters`);
  return value.trim();
}

function list(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`${what} must be a list`);
  return value;
}

/** A claim name no source may release (RFC 7519, RFC 9068 and the session claims). */
export function checkClaimName(name: unknown, what = 'a claim'): string {
  if (typeof name !== 'string' || !CLAIM_NAME.test(name)) fail(`${what} is a lower-case name (letters, digits, _), not "${String(name).slice(0, 40)}"`);
  if (RESERVED_CLAIMS.has(name) || ISSUER_CLAIMS.has(name)) fail(`${what} "${name}" is reserved: the issuer sets it on every token`);
  return name;
}

/**
 * The claims a scope or API releases: each an attribute of the issuer or a built-in claim; an
 * API's may also be a claims hook's (hooks are called at the token endpoint, not at userinfo).
 */
function checkClaims(value: unknown, what: string, config: ClaimsConfig, hookClaims = false): string[] {
  const names = [...new Set(list(value, what).map((n) => checkClaimName(n, `${what}: the claim`)))];
  for (const name of names) {
    const known =
      BUILT_IN_CLAIMS.has(name) || config.attributes.some((a) => a.name === name) || (hookClaims && (config.hooks ?? []).some((h) => h.claims.includes(name)));
    if (!known) fail(`${what}: no attribute${hookClaims ? ', hook' : ''} or built-in claim is named "${name}"`);
  }
  return names;
}

function scopeName(value: unknown, what: string): string {
  if (typeof value !== 'string' || !SCOPE_NAME.test(value))
    fail(`${what} must be a scope name (lower case; letters, digits, _ . : -), not "${String(value).slice(0, 40)}"`);
  if (BUILT_IN_SCOPES.has(value)) fail(`${what} "${value}" is built in`);
  return value;
}

/** Every scope name the config defines (custom and API), by what defines it, except `except`. */
function definedScopes(config: ClaimsConfig, except?: { kind: 'api' | 'scope'; name: string }): Map<string, string> {
  const taken = new Map<string, string>();
  for (const s of config.scopes) if (!(except?.kind === 'scope' && except.name === s.name)) taken.set(s.name, `the scope ${s.name}`);
  for (const api of config.apis) {
    if (except?.kind === 'api' && except.name === api.identifier) continue;
    for (const s of api.scopes) taken.set(s.name, `the API ${api.identifier}`);
  }
  return taken;
}

/** An API as given (Admin API body, CLI flags), checked against the rest of the issuer's config. */
export function checkApi(input: Record<string, unknown>, config: ClaimsConfig): ApiDefinition {
  const identifier = text(input.identifier, 'identifier', 500);
  let url: URL;
  try {
    url = new URL(identifier);
  } catch {
    fail('identifier must be an absolute URI (RFC 8707 §2), e.g. https://api.example.com');
  }
  if (url.hash) fail('identifier must not have a fragment (RFC 8707 §2)');
  const taken = definedScopes(config, { kind: 'api', name: identifier });
  const scopes = list(input.scopes, 'scopes').map((raw, i): ApiScope => {
    const entry = (typeof raw === 'string' ? { name: raw } : raw) as Record<string, unknown>;
    if (typeof entry !== 'object' || entry === null) fail(`scopes[${i}] must be a name or {name, description}`);
    const name = scopeName(entry.name, `scopes[${i}]`);
    const owner = taken.get(name);
    if (owner) fail(`the scope "${name}" is already defined by ${owner}`);
    taken.set(name, identifier);
    return { name, description: text(entry.description, `the description of ${name}`, 300, false) };
  });
  const ttl = input.accessTokenTtl ?? null;
  if (ttl !== null && (!Number.isInteger(ttl) || (ttl as number) < 30 || (ttl as number) > MAX_TTL))
    fail(`accessTokenTtl is whole seconds from 30 to ${MAX_TTL}`);
  return {
    identifier,
    name: text(input.name, 'name', 200),
    scopes,
    accessTokenTtl: ttl as number | null,
    claims: checkClaims(input.claims, 'claims', config, true),
  };
}

const HOOK_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** A claims hook as given (its secret is made and sealed by the service): URL checked like a webhook's. */
export function checkHook(
  input: Record<string, unknown>,
  config: ClaimsConfig,
  urlProblem: (url: string) => string | undefined,
): Omit<HookDefinition, 'sealedSecret'> {
  const name = input.name;
  if (typeof name !== 'string' || !HOOK_NAME.test(name)) fail('name is lower case letters, digits, _ and -');
  const url = text(input.url, 'url', 2000);
  const problem = urlProblem(url);
  if (problem) fail(`url: ${problem}`);
  const claims = [...new Set(list(input.claims, 'claims').map((n) => checkClaimName(n, 'claims: the claim')))];
  if (claims.length === 0) fail('claims: name at least one claim the hook may add');
  for (const claim of claims) {
    if (BUILT_IN_CLAIMS.has(claim) || config.attributes.some((a) => a.name === claim)) fail(`claims: "${claim}" is an attribute or built-in claim`);
    const other = (config.hooks ?? []).find((h) => h.name !== name && h.claims.includes(claim));
    if (other) fail(`claims: "${claim}" is added by the hook ${other.name}`);
  }
  const scopes = [...new Set(list(input.scopes, 'scopes').map((s) => (typeof s === 'string' && SCOPE_NAME.test(s) ? s : fail('scopes: scope names'))))];
  const failure = input.failure ?? 'deny';
  if (failure !== 'deny' && failure !== 'omit') fail('failure is deny or omit');
  return { name, url, claims, scopes, failure };
}

export function checkScope(input: Record<string, unknown>, config: ClaimsConfig): ScopeDefinition {
  const name = scopeName(input.name, 'name');
  const owner = definedScopes(config, { kind: 'scope', name }).get(name);
  if (owner) fail(`the scope "${name}" is already defined by ${owner}`);
  const raw = input.descriptions;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('descriptions must be an object by language, e.g. {"en": "…"}');
  const descriptions: Partial<Record<Locale, string>> = {};
  for (const [locale, value] of Object.entries(raw)) {
    if (!isLocale(locale)) fail(`descriptions: "${locale.slice(0, 20)}" is not one of ${LOCALES.join(', ')}`);
    descriptions[locale] = text(value, `the ${locale} description`, 300);
  }
  if (!descriptions.en) fail('descriptions.en is required: it is shown where no translation is given');
  for (const flag of ['optional', 'idToken'] as const) if (input[flag] !== undefined && typeof input[flag] !== 'boolean') fail(`${flag} must be true or false`);
  return {
    name,
    descriptions: descriptions as ScopeDefinition['descriptions'],
    claims: checkClaims(input.claims, 'claims', config),
    optional: input.optional !== false,
    idToken: input.idToken === true,
  };
}

export function checkAttribute(input: Record<string, unknown>, config: ClaimsConfig): AttributeDefinition {
  const name = checkClaimName(input.name, 'the attribute');
  if (BUILT_IN_CLAIMS.has(name)) fail(`the attribute "${name}" is a built-in claim`);
  const target = input.target ?? 'user';
  if (target !== 'user' && target !== 'organization') fail('target must be user or organization');
  const existing = config.attributes.find((a) => a.name === name);
  if (existing && existing.target !== target) fail(`the attribute "${name}" is for ${existing.target}s: its target cannot change`);
  try {
    checkSchema(input.schema);
  } catch (error) {
    if (error instanceof SchemaError) fail(`schema: ${error.message}`);
    throw error;
  }
  return { name, target, schema: input.schema as JsonSchema, description: text(input.description, 'description', 300, false) };
}

/** Whether a claim is still released by a scope or an API (so its attribute cannot be deleted). */
export function claimUsers(config: ClaimsConfig, claim: string): string[] {
  return [
    ...config.scopes.filter((s) => s.claims.includes(claim)).map((s) => `the scope ${s.name}`),
    ...config.apis.filter((a) => a.claims.includes(claim)).map((a) => `the API ${a.identifier}`),
  ];
}

/** The APIs that release claims of a hook (so it cannot be deleted while they do). */
export function hookUsers(config: ClaimsConfig, hook: HookDefinition): string[] {
  return config.apis.filter((a) => a.claims.some((c) => hook.claims.includes(c))).map((a) => `the API ${a.identifier}`);
}

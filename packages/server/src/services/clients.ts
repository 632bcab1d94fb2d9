import type { IssuerScope } from '../issuers/scope.js';
import { ADMIN_SCOPES } from '../admin/roles.js';
import { adminAudience } from '../admin/audience.js';
import { ServiceError, checkedText, stale } from './errors.js';
import {
  APP_TYPES,
  type AppType,
  type Client,
  type ClientChanges,
  type ClientLinks,
  GRANT_TYPES,
  NO_LINKS,
  type GrantType,
  type IdTokenAlg,
  type NewClient,
  type PkcePolicy,
} from '../store/repos/clients.js';

/**
 * Registering and changing clients: every rule a client's settings must follow, and the write.
 * The one path for it: the CLI calls it now, the Admin API will.
 */

/** The settings a caller names; messages name them by `labels` (the CLI passes its flags). */
export type ClientField =
  | 'name'
  | 'description'
  | 'redirectUris'
  | 'postLogoutRedirectUris'
  | 'scope'
  | 'grantTypes'
  | 'idTokenAlg'
  | 'resources'
  | 'isPublic'
  | 'pkce'
  | 'refreshReuseGrace'
  | 'idTokenClaims'
  | 'requireMfa'
  | 'logoUri'
  | 'policyUri'
  | 'tosUri'
  | 'appType'
  | 'firstParty'
  | 'backchannelLogoutUri'
  | 'backchannelLogoutSessionRequired';

export type FieldLabels = Partial<Record<ClientField, string>>;

/** A client setting that breaks a rule: a ServiceError (`invalid`) naming the setting. */
export class ClientInputError extends ServiceError {
  declare readonly field: ClientField | undefined;
  constructor(field: ClientField | undefined, message: string) {
    super('invalid', field, message);
    this.name = 'ClientInputError';
  }
}

/** A client to register, as a caller gives it (strings, unchecked). */
export interface ClientInput {
  /** Sets the defaults below when they are not given; read from them when absent. */
  appType?: string;
  name: string;
  description?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** Space-separated, default "openid profile email". */
  scope?: string;
  /** Comma-separated, default "authorization_code,refresh_token". */
  grantTypes?: string;
  isPublic?: boolean;
  firstParty?: boolean;
  idTokenAlg?: string;
  resources?: string[];
  pkce?: string;
  /** Seconds, as a number or text like "10" or "10s". */
  refreshReuseGrace?: number | string;
  /** ID tokens carry profile and email claims with an access token too (a compatibility switch). */
  idTokenClaims?: boolean;
  /** Every sign-in to the app needs a second factor (signin/mfa-policy.ts). */
  requireMfa?: boolean;
  /** RFC 7591 `logo_uri`, `policy_uri`, `tos_uri`, shown on the consent page. */
  logoUri?: string;
  policyUri?: string;
  tosUri?: string;
  /** OpenID Connect Back-Channel Logout 1.0: where logout tokens go ('' or absent: none), and whether they must carry sid. */
  backchannelLogoutUri?: string;
  backchannelLogoutSessionRequired?: boolean;
}

/** What an update may change; a list replaces the stored one. A client's kind never changes. */
export interface ClientUpdate {
  name?: string;
  description?: string;
  grantTypes?: string;
  resources?: string[];
  firstParty?: boolean;
  idTokenAlg?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scope?: string;
  pkce?: string;
  refreshReuseGrace?: number | string;
  idTokenClaims?: boolean;
  requireMfa?: boolean;
  /** An empty string removes the link. */
  logoUri?: string;
  policyUri?: string;
  tosUri?: string;
  /** An empty string removes it: the client gets no more logout tokens. */
  backchannelLogoutUri?: string;
  backchannelLogoutSessionRequired?: boolean;
}

const DEFAULT_SCOPE = 'openid profile email';
const DEFAULT_GRANTS = 'authorization_code,refresh_token';
const ID_TOKEN_ALGS: readonly IdTokenAlg[] = ['RS256', 'ES256'];
const PKCE_POLICIES: readonly PkcePolicy[] = ['required', 'optional'];
/** Long enough for two instances of an app refreshing at once; short enough to stay a race, not a second life. */
export const MAX_REFRESH_REUSE_GRACE = 300;

/** Shown (CLI: on stderr) whenever a client is left with PKCE optional. */
export const PKCE_OPTIONAL_WARNING =
  'PKCE is optional for this client: a request without code_challenge is a plain OpenID Connect request, whose code is protected only by the client secret; the app must send and check nonce (docs/connecting-apps.md).';

// Only these three: RFC 8252 §7.3 names the IP literals, and "localhost" is what developers type.
// Wider 127/8 addresses are left out on purpose; they are rarely meant and easy to mistype.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

class Rules {
  constructor(private readonly labels: FieldLabels) {}

  label(field: ClientField): string {
    return this.labels[field] ?? field;
  }

  fail(field: ClientField | undefined, message: string): never {
    throw new ClientInputError(field, message);
  }

  /** A short single-line text such as a display name: trimmed, no control characters. */
  text(field: ClientField, raw: string, max: number): string {
    try {
      return checkedText(field, this.label(field), raw, max);
    } catch (error) {
      return this.fail(field, (error as Error).message);
    }
  }

  /**
   * One redirect (or post-logout redirect) URI. The string is kept unchanged, not normalised by
   * URL, because authorization requests are compared with it byte for byte.
   */
  redirectUri(field: 'redirectUris' | 'postLogoutRedirectUris', raw: string, isPublic: boolean): string {
    const flag = this.label(field);
    if (raw !== raw.trim() || /[\s<>"`{}|\\^]/.test(raw)) this.fail(field, `${flag} "${raw}" contains spaces or characters not allowed in a URI`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return this.fail(field, `${flag} "${raw}" is not an absolute URI (e.g. https://app.example.com/callback)`);
    }
    // RFC 6749 §3.1.2: the endpoint URI must not include a fragment. URL drops an empty "#", so look at the raw text.
    if (raw.includes('#')) this.fail(field, `${flag} "${raw}" must not contain a fragment (#...)`);
    const scheme = url.protocol.slice(0, -1);
    if (scheme === 'https' || scheme === 'http') {
      // URL would quietly read "https:host/path" as "https://host/path"; the stored text must be what clients send.
      if (!/^https?:\/\/[^/]/i.test(raw) || !url.hostname) this.fail(field, `${flag} "${raw}" must look like ${scheme}://host/path`);
      if (url.username || url.password) this.fail(field, `${flag} "${raw}" must not contain a user name or password`);
      if (scheme === 'http' && !LOOPBACK_HOSTS.has(url.hostname)) {
        this.fail(field, `${flag} "${raw}" must use https; http is only allowed on a loopback host (localhost, 127.0.0.1, [::1])`);
      }
      return raw;
    }
    // A dot keeps out javascript:, data:, file: and friends: RFC 8252 §7.1 asks for reverse-DNS names.
    if (scheme.includes('.')) {
      if (!isPublic) this.fail(field, `${flag} "${raw}" uses a private-use scheme, which only public (native app) clients may use; add --public or use https`);
      return raw;
    }
    return this.fail(
      field,
      `${flag} "${raw}" must be https, http on localhost/127.0.0.1/[::1], or (public clients) a reverse-DNS scheme like com.example.app:/callback`,
    );
  }

  redirectUris(field: 'redirectUris' | 'postLogoutRedirectUris', list: string[], isPublic: boolean): string[] {
    return [...new Set(list.map((u) => this.redirectUri(field, u, isPublic)))];
  }

  scopes(raw: string): string[] {
    const flag = this.label('scope');
    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), printable ASCII but space, " and \.
    const token = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
    const scopes = raw.split(' ').filter((s) => s !== '');
    if (scopes.length === 0) this.fail('scope', `${flag} needs at least one scope, e.g. "openid profile email"`);
    for (const scope of scopes) {
      if (!token.test(scope))
        this.fail('scope', `${flag} "${scope}" is not a valid scope (printable ASCII without ", \\ or whitespace; separate scopes with spaces)`);
    }
    const dup = scopes.find((s, i) => scopes.indexOf(s) !== i);
    if (dup) this.fail('scope', `${flag} lists "${dup}" twice`);
    return scopes;
  }

  grantTypes(raw: string): GrantType[] {
    const flag = this.label('grantTypes');
    const grants: GrantType[] = [];
    for (const item of raw.split(',').map((s) => s.trim())) {
      if (!(GRANT_TYPES as readonly string[]).includes(item)) this.fail('grantTypes', `${flag}: "${item}" is not one of ${GRANT_TYPES.join(', ')}`);
      if (grants.includes(item as GrantType)) this.fail('grantTypes', `${flag} lists "${item}" twice`);
      grants.push(item as GrantType);
    }
    return grants;
  }

  /** A resource indicator (RFC 8707 §2): an absolute URI without a fragment. */
  resource(raw: string): string {
    const flag = this.label('resources');
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      this.fail('resources', `${flag} "${raw}" is not an absolute URI`);
    }
    if (url.hash || raw.includes('#')) this.fail('resources', `${flag} "${raw}" must not contain a fragment`);
    if (raw.length > 2000) this.fail('resources', `${flag} is too long`);
    return raw;
  }

  /**
   * A page or image the consent page links to: https (http on a loopback host, for development),
   * no user name or password, at most 2000 characters; '' means none.
   */
  link(field: 'logoUri' | 'policyUri' | 'tosUri', raw: string): string | null {
    const flag = this.label(field);
    if (raw === '') return null;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      this.fail(field, `${flag} "${raw.slice(0, 200)}" is not an absolute URI`);
    }
    if (raw.length > 2000) this.fail(field, `${flag} is too long`);
    if (/\s/.test(raw)) this.fail(field, `${flag} must not contain spaces`);
    if (url.username || url.password) this.fail(field, `${flag} must not contain a user name or password`);
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !loopback) this.fail(field, `${flag} must use https`);
    return raw;
  }

  /**
   * Back-Channel Logout 1.0 §2.2: an absolute URL without a fragment (a query is allowed), over
   * https, or http on a loopback host as redirect URIs may (development); '' means none. Where
   * it may point is checked again on every delivery (the webhooks' address rules).
   */
  backchannelLogoutUri(raw: string): string | null {
    const field = 'backchannelLogoutUri';
    const flag = this.label(field);
    if (raw === '') return null;
    if (raw !== raw.trim() || /[\s<>"`{}|\\^]/.test(raw)) this.fail(field, `${flag} "${raw.slice(0, 200)}" contains spaces or characters not allowed in a URI`);
    if (raw.length > 2000) this.fail(field, `${flag} is too long`);
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      this.fail(field, `${flag} "${raw.slice(0, 200)}" is not an absolute URL (e.g. https://app.example.com/backchannel-logout)`);
    }
    if (raw.includes('#')) this.fail(field, `${flag} "${raw.slice(0, 200)}" must not contain a fragment (#...)`);
    if (!/^https?:\/\/[^/]/i.test(raw) || !url.hostname) this.fail(field, `${flag} "${raw.slice(0, 200)}" must look like https://host/path`);
    if (url.username || url.password) this.fail(field, `${flag} must not contain a user name or password`);
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !loopback)
      this.fail(field, `${flag} must use https; http is only allowed on a loopback host (localhost, 127.0.0.1, [::1])`);
    return raw;
  }

  links(input: { logoUri?: string; policyUri?: string; tosUri?: string }): Partial<ClientLinks> {
    const out: Partial<ClientLinks> = {};
    if (input.logoUri !== undefined) out.logoUri = this.link('logoUri', input.logoUri);
    if (input.policyUri !== undefined) out.policyUri = this.link('policyUri', input.policyUri);
    if (input.tosUri !== undefined) out.tosUri = this.link('tosUri', input.tosUri);
    return out;
  }

  pkce(raw: string, isPublic: boolean): PkcePolicy {
    const flag = this.label('pkce');
    if (!(PKCE_POLICIES as readonly string[]).includes(raw)) this.fail('pkce', `${flag} must be one of ${PKCE_POLICIES.join(', ')}`);
    // A public client has no secret: PKCE is all that binds its code to it.
    if (raw === 'optional' && isPublic)
      this.fail('pkce', `${flag} optional is for confidential clients only: a public client has no secret, PKCE is what protects its codes`);
    return raw as PkcePolicy;
  }

  idTokenAlg(raw: string): IdTokenAlg {
    if (!(ID_TOKEN_ALGS as readonly string[]).includes(raw)) this.fail('idTokenAlg', `${this.label('idTokenAlg')} must be one of ${ID_TOKEN_ALGS.join(', ')}`);
    return raw as IdTokenAlg;
  }

  grace(raw: number | string, grantTypes: readonly GrantType[]): number {
    const flag = this.label('refreshReuseGrace');
    const text = String(raw).trim();
    const match = /^(\d{1,6})s?$/.exec(text);
    const seconds = match ? Number(match[1]) : Number.NaN;
    if (!Number.isInteger(seconds) || seconds > MAX_REFRESH_REUSE_GRACE)
      this.fail('refreshReuseGrace', `${flag} must be a whole number of seconds from 0 to ${MAX_REFRESH_REUSE_GRACE}, like 10 or 10s`);
    if (seconds > 0 && !grantTypes.includes('refresh_token')) this.fail('refreshReuseGrace', `${flag} needs the refresh_token grant type`);
    return seconds;
  }

  redirectsFitGrants(grantTypes: readonly GrantType[], redirectUris: readonly string[], postLogout: readonly string[]): void {
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      this.fail('redirectUris', `${this.label('redirectUris')} is required when the client may use authorization_code`);
    }
    if (!grantTypes.includes('authorization_code') && (redirectUris.length > 0 || postLogout.length > 0)) {
      // Without the code flow nobody is ever redirected; accepting them would suggest otherwise.
      this.fail('redirectUris', 'redirect URIs only apply with the authorization_code grant type');
    }
  }
}

function checkGrantCombination(rules: Rules, grantTypes: GrantType[], isPublic: boolean): void {
  if (isPublic && grantTypes.includes('client_credentials')) {
    rules.fail(
      'grantTypes',
      `a ${rules.label('isPublic') === 'isPublic' ? 'public' : rules.label('isPublic')} client cannot use client_credentials: it has no secret to authenticate with`,
    );
  }
  if (grantTypes.includes('refresh_token') && !grantTypes.includes('authorization_code')) {
    rules.fail('grantTypes', 'refresh_token needs authorization_code: refresh tokens are only issued by the code flow');
  }
}

/** The kind a client is, from what was given: its `appType`, else its other settings. */
function appTypeOf(rules: Rules, input: ClientInput): AppType {
  if (input.appType !== undefined) {
    if (!(APP_TYPES as readonly string[]).includes(input.appType)) rules.fail('appType', `${rules.label('appType')} must be one of ${APP_TYPES.join(', ')}`);
    return input.appType as AppType;
  }
  if (input.grantTypes !== undefined && !input.grantTypes.includes('authorization_code')) return 'machine';
  return input.isPublic ? 'native' : 'web';
}

/** What each kind implies when the caller leaves it out, and what it may not be given. */
function checkAppType(rules: Rules, appType: AppType, isPublic: boolean, grantTypes: readonly GrantType[], redirectUris: readonly string[]): void {
  const label = rules.label('appType');
  const publicKind = appType === 'spa' || appType === 'native';
  if (publicKind !== isPublic) {
    rules.fail(
      'isPublic',
      publicKind ? `a ${appType} app is a public client (it cannot keep a secret)` : `a ${appType} app is a confidential client (it has a secret)`,
    );
  }
  if (appType === 'machine' && (grantTypes.length !== 1 || grantTypes[0] !== 'client_credentials')) {
    rules.fail('grantTypes', `a machine client (${label} machine) uses client_credentials only`);
  }
  if (appType !== 'machine' && !grantTypes.includes('authorization_code')) {
    rules.fail('grantTypes', `a ${appType} app signs people in: it needs authorization_code (use ${label} machine for a service)`);
  }
  // A browser app is reached over https (or http on the developer's loopback), never through a private-use scheme.
  const bad = appType === 'spa' ? redirectUris.find((u) => !/^https?:/i.test(u)) : undefined;
  if (bad) rules.fail('redirectUris', `a spa app's redirect URIs are https (or http on localhost): "${bad}" is for native apps`);
}

/** A back-channel logout URI, for an app that signs people in: a machine client has no sessions to end. */
function backchannelFor(rules: Rules, appType: AppType, raw: string): string | null {
  const uri = rules.backchannelLogoutUri(raw);
  if (uri !== null && appType === 'machine') rules.fail('backchannelLogoutUri', `a machine client signs no one in: it has no sessions to be logged out of`);
  return uri;
}

/** Checks a client to register, without the database; throws ClientInputError naming the setting. */
export function validateNewClient(input: ClientInput, labels: FieldLabels = {}): NewClient {
  const rules = new Rules(labels);
  const appType = appTypeOf(rules, input);
  const name = rules.text('name', input.name, 200);
  const description = input.description === undefined ? '' : rules.text('description', input.description, 1000);
  const isPublic = input.isPublic ?? (appType === 'spa' || appType === 'native');
  const grantTypes = rules.grantTypes(input.grantTypes ?? (appType === 'machine' ? 'client_credentials' : DEFAULT_GRANTS));
  checkGrantCombination(rules, grantTypes, isPublic);
  const redirectUris = rules.redirectUris('redirectUris', input.redirectUris ?? [], isPublic);
  const postLogoutRedirectUris = rules.redirectUris('postLogoutRedirectUris', input.postLogoutRedirectUris ?? [], isPublic);
  rules.redirectsFitGrants(grantTypes, redirectUris, postLogoutRedirectUris);
  checkAppType(rules, appType, isPublic, grantTypes, redirectUris);
  if (input.appType === 'machine' && input.scope === undefined)
    rules.fail('scope', `a machine client needs ${rules.label('scope')}: the scopes of the APIs it calls`);
  return {
    appType,
    name,
    description,
    redirectUris,
    postLogoutRedirectUris,
    grantTypes,
    scopes: rules.scopes(input.scope ?? DEFAULT_SCOPE),
    isPublic,
    firstParty: input.firstParty ?? false,
    idTokenAlg: rules.idTokenAlg(input.idTokenAlg ?? 'RS256'),
    resources: [...new Set((input.resources ?? []).map((r) => rules.resource(r)))],
    pkce: rules.pkce(input.pkce ?? 'required', isPublic),
    refreshReuseGrace: rules.grace(input.refreshReuseGrace ?? 0, grantTypes),
    idTokenClaims: input.idTokenClaims ?? false,
    requireMfa: input.requireMfa ?? false,
    links: { ...NO_LINKS, ...rules.links(input) },
    backchannelLogoutUri: backchannelFor(rules, appType, input.backchannelLogoutUri ?? ''),
    backchannelLogoutSessionRequired: input.backchannelLogoutSessionRequired ?? false,
  };
}

/** Checks changes to `client`; throws ClientInputError naming the setting. */
export function validateClientUpdate(client: Client, changes: ClientUpdate, labels: FieldLabels = {}): ClientChanges {
  const rules = new Rules(labels);
  const out: ClientChanges = {};
  if (changes.name !== undefined) out.name = rules.text('name', changes.name, 200);
  if (changes.description !== undefined) out.description = changes.description === '' ? '' : rules.text('description', changes.description, 1000);
  if (changes.grantTypes !== undefined) {
    out.grantTypes = rules.grantTypes(changes.grantTypes);
    checkGrantCombination(rules, out.grantTypes, client.isPublic);
  }
  if (changes.resources !== undefined) out.resources = [...new Set(changes.resources.map((r) => rules.resource(r)))];
  if (changes.firstParty !== undefined) out.firstParty = changes.firstParty;
  if (changes.idTokenAlg !== undefined) out.idTokenAlg = rules.idTokenAlg(changes.idTokenAlg);
  if (changes.redirectUris !== undefined) out.redirectUris = rules.redirectUris('redirectUris', changes.redirectUris, client.isPublic);
  if (changes.postLogoutRedirectUris !== undefined)
    out.postLogoutRedirectUris = rules.redirectUris('postLogoutRedirectUris', changes.postLogoutRedirectUris, client.isPublic);
  if (changes.scope !== undefined) out.scopes = rules.scopes(changes.scope);
  if (changes.pkce !== undefined) out.pkce = rules.pkce(changes.pkce, client.isPublic);
  const grantTypes = out.grantTypes ?? client.grantTypes;
  if (changes.refreshReuseGrace !== undefined) out.refreshReuseGrace = rules.grace(changes.refreshReuseGrace, grantTypes);
  else if (out.grantTypes && !grantTypes.includes('refresh_token') && client.refreshReuseGrace > 0) out.refreshReuseGrace = 0;
  if (changes.idTokenClaims !== undefined) out.idTokenClaims = changes.idTokenClaims;
  if (changes.requireMfa !== undefined) out.requireMfa = changes.requireMfa;
  const links = rules.links(changes);
  if (Object.keys(links).length > 0) out.links = links;
  if (changes.backchannelLogoutUri !== undefined) out.backchannelLogoutUri = backchannelFor(rules, client.appType, changes.backchannelLogoutUri);
  if (changes.backchannelLogoutSessionRequired !== undefined) out.backchannelLogoutSessionRequired = changes.backchannelLogoutSessionRequired;
  if (Object.keys(out).length === 0) rules.fail(undefined, 'nothing to change: name at least one setting');
  const redirectUris = out.redirectUris ?? client.redirectUris;
  rules.redirectsFitGrants(grantTypes, redirectUris, out.postLogoutRedirectUris ?? client.postLogoutRedirectUris);
  checkAppType(rules, client.appType, client.isPublic, grantTypes, redirectUris);
  return out;
}

/** What the caller should tell whoever made the change. */
export function clientWarnings(client: Client): string[] {
  return client.pkce === 'optional' ? [PKCE_OPTIONAL_WARNING] : [];
}

/** Who is making a change: only the CLI and administrators may hand out Admin API access. */
export interface ClientAccess {
  privileged: boolean;
}

/**
 * The admin:* scopes and the Admin API's audience open the management of the issuer: only a
 * privileged caller (the CLI, a person administering it) may give them to a client.
 */
function checkReserved(scope: IssuerScope, client: { scopes?: readonly string[]; resources?: readonly string[] }, access: ClientAccess): void {
  if (access.privileged) return;
  const reserved = client.scopes?.find((s) => ADMIN_SCOPES.includes(s));
  if (reserved) throw new ClientInputError('scope', `only an administrator can give a client the ${reserved} scope`);
  if (client.resources?.includes(adminAudience(scope)))
    throw new ClientInputError('resources', 'only an administrator can give a client the Admin API as a resource');
}

/** Registers a client; its secret (confidential clients) is returned once, only its hash is kept. */
export async function createClient(
  scope: IssuerScope,
  input: ClientInput,
  labels: FieldLabels = {},
  access: ClientAccess = { privileged: false },
): Promise<{ client: Client; secret: string | null; warnings: string[] }> {
  const checked = validateNewClient(input, labels);
  checkReserved(scope, checked, access);
  const { client, secret } = await scope.repos.clients.create(checked);
  scope.services.logger.log('info', 'client_created', { issuer: scope.id, client: client.id });
  return { client, secret, warnings: clientWarnings(client) };
}

/**
 * Changes a client of `scope`; undefined when it has none with `id`. With `revision`, only that
 * revision of it is changed: another is a `stale` ServiceError, and nothing is written.
 */
export async function updateClient(
  scope: IssuerScope,
  id: string,
  changes: ClientUpdate,
  labels: FieldLabels = {},
  access: ClientAccess & { revision?: number } = { privileged: false },
): Promise<{ client: Client; warnings: string[] } | undefined> {
  const current = await scope.repos.clients.find(id);
  if (!current) return undefined;
  if (access.revision !== undefined && current.revision !== access.revision) throw stale('the client was changed since that revision');
  const checked = validateClientUpdate(current, changes, labels);
  checkReserved(scope, checked, access);
  // The rules were checked against `current`: write only if it is still what is stored.
  if (!(await scope.repos.clients.update(id, checked, current.revision))) {
    if (!(await scope.repos.clients.find(id))) return undefined;
    throw stale('the client was changed while this change was checked; read it again');
  }
  const client = await scope.repos.clients.find(id);
  if (!client) return undefined;
  scope.services.logger.log('info', 'client_updated', { issuer: scope.id, client: id, fields: Object.keys(checked).join(',') });
  return { client, warnings: clientWarnings(client) };
}

/** The longest overlap a rotation may give the old secret: a week, time enough to redeploy. */
export const MAX_SECRET_OVERLAP = 604800;

/**
 * Issues a new secret for a confidential client of `scope` (shown once, only its hash is kept).
 * The old one keeps working for `overlapSeconds` (0: it stops at once), so the app can be
 * redeployed without an outage. With `revision`, only that revision is rotated (`stale` else).
 */
export async function rotateClientSecret(
  scope: IssuerScope,
  id: string,
  options: { overlapSeconds: number; revision?: number },
): Promise<{ secret: string; previousSecretExpiresAt: number | null }> {
  const overlap = options.overlapSeconds;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_SECRET_OVERLAP) {
    throw new ServiceError('invalid', 'overlapSeconds', `the overlap must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP}`);
  }
  const current = await scope.repos.clients.find(id);
  if (!current) throw new ServiceError('not_found', undefined, `there is no client ${id.slice(0, 100)} at this issuer`);
  if (current.isPublic) throw new ServiceError('conflict', undefined, `client ${current.id} is public: public clients have no secret to rotate`);
  if (options.revision !== undefined && current.revision !== options.revision) throw stale('the client was changed since that revision');
  const rotated = await scope.repos.clients.rotateSecret(current.id, { overlapSeconds: overlap, revision: current.revision });
  if (!rotated) {
    if (!(await scope.repos.clients.find(id))) throw new ServiceError('not_found', undefined, `there is no client ${current.id} at this issuer`);
    throw stale('the client was changed while its secret was rotated; read it again');
  }
  scope.services.logger.log('info', 'client_secret_rotated', { issuer: scope.id, client: current.id, overlap_seconds: overlap });
  return rotated;
}

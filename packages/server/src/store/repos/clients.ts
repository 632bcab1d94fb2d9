import type { Kysely, Selectable, Updateable } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import { parseList } from '../json.js';
import { containsText } from '../like.js';
import type { ClientTable, Database } from '../schema.js';
import { CLIENT_COLUMNS } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import type { ClientCache } from '../client-cache.js';
import { atomically, recordEvent } from './events.js';

const FIND_CLIENT = prepared((db, id: string, issuer: string) =>
  db.selectFrom('clients').select(CLIENT_COLUMNS).where('id', '=', id).where('issuer_id', '=', issuer),
);

export type IdTokenAlg = 'RS256' | 'ES256';
/** Whether an authorization request must carry a PKCE challenge: always for public clients. */
export type PkcePolicy = 'required' | 'optional';
export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';
/**
 * What kind of app a client is, which sets its defaults (services/clients.ts): `web` a
 * server-side app with a secret, `spa` a browser app and `native` a mobile or desktop app (both
 * public, PKCE only), `machine` a service using client_credentials.
 */
export type AppType = 'web' | 'spa' | 'native' | 'machine';
export const APP_TYPES: readonly AppType[] = ['web', 'spa', 'native', 'machine'];
export const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials'];

export interface Client {
  id: string;
  /** The issuer the client is registered at; it is unknown at every other. */
  issuerId: string;
  appType: AppType;
  name: string;
  description: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  scopes: string[];
  resources: string[];
  isPublic: boolean;
  firstParty: boolean;
  idTokenAlg: IdTokenAlg;
  pkce: PkcePolicy;
  /** Seconds a just-rotated refresh token may be presented again (grants/refresh-token.ts); 0 for never. */
  refreshReuseGrace: number;
  /**
   * Whether ID tokens carry the profile and email claims although an access token comes with
   * them (OIDC Core §5.4 puts them in userinfo): a compatibility switch, off by default.
   */
  idTokenClaims: boolean;
  /** Every sign-in to this app needs a second factor (signin/mfa-policy.ts). */
  requireMfa: boolean;
  /** RFC 7591 `logo_uri`, `policy_uri`, `tos_uri`: what the consent page shows and links to. */
  links: ClientLinks;
  /** OpenID Connect Back-Channel Logout 1.0 `backchannel_logout_uri`: where logout tokens are POSTed (logout/); null for none. */
  backchannelLogoutUri: string | null;
  /** `backchannel_logout_session_required`: the client needs `sid` in its logout tokens (Gatehouse always sends it). */
  backchannelLogoutSessionRequired: boolean;
  secretHash: string | null;
  /** The secret before the last rotation and when it stops working (accepted while now < expiresAt). */
  previousSecret: { hash: string; expiresAt: number } | null;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every update: the Admin API's ETag. */
  revision: number;
}

export interface ClientLinks {
  logoUri: string | null;
  policyUri: string | null;
  tosUri: string | null;
}

export const NO_LINKS: ClientLinks = { logoUri: null, policyUri: null, tosUri: null };

export interface NewClient {
  /** Gatehouse's own clients (the console) have a fixed id; others get a random one. */
  id?: string;
  appType?: AppType;
  name: string;
  description?: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  grantTypes: GrantType[];
  scopes: string[];
  resources?: string[];
  isPublic: boolean;
  firstParty: boolean;
  idTokenAlg?: IdTokenAlg;
  pkce?: PkcePolicy;
  refreshReuseGrace?: number;
  idTokenClaims?: boolean;
  requireMfa?: boolean;
  links?: ClientLinks;
  backchannelLogoutUri?: string | null;
  backchannelLogoutSessionRequired?: boolean;
}

/** What an update may change (services/clients.ts checks it first); lists replace the stored ones. */
export type ClientChanges = Partial<
  Pick<
    Client,
    | 'name'
    | 'description'
    | 'redirectUris'
    | 'postLogoutRedirectUris'
    | 'grantTypes'
    | 'scopes'
    | 'resources'
    | 'firstParty'
    | 'idTokenAlg'
    | 'pkce'
    | 'refreshReuseGrace'
    | 'idTokenClaims'
    | 'requireMfa'
    | 'backchannelLogoutUri'
    | 'backchannelLogoutSessionRequired'
  >
> & { links?: Partial<ClientLinks> };

/**
 * The kind of a client registered before kinds were stored, read from its settings. A public
 * one counts as native, the kind with the wider redirect rules, so no stored URI breaks a rule.
 */
export function inferredAppType(row: { is_public: number; grant_types: string }): AppType {
  if (!parseList(row.grant_types).includes('authorization_code')) return 'machine';
  return row.is_public === 1 ? 'native' : 'web';
}

function toClient(row: Selectable<ClientTable>): Client {
  return {
    id: row.id,
    issuerId: row.issuer_id,
    appType: (APP_TYPES as readonly string[]).includes(row.app_type ?? '') ? (row.app_type as AppType) : inferredAppType(row),
    name: row.name,
    description: row.description,
    redirectUris: parseList(row.redirect_uris),
    postLogoutRedirectUris: parseList(row.post_logout_redirect_uris),
    grantTypes: parseList(row.grant_types) as GrantType[],
    scopes: parseList(row.scopes),
    resources: parseList(row.resources),
    isPublic: row.is_public === 1,
    firstParty: row.first_party === 1,
    idTokenAlg: row.id_token_alg === 'ES256' ? 'ES256' : 'RS256',
    // Anything but 'optional' (including a confidential row later made public) requires PKCE.
    pkce: row.pkce === 'optional' && row.is_public !== 1 ? 'optional' : 'required',
    refreshReuseGrace: Number(row.refresh_reuse_grace ?? 0),
    idTokenClaims: Number(row.id_token_claims ?? 0) === 1,
    requireMfa: Number(row.require_mfa ?? 0) === 1,
    links: { logoUri: row.logo_uri ?? null, policyUri: row.policy_uri ?? null, tosUri: row.tos_uri ?? null },
    backchannelLogoutUri: row.backchannel_logout_uri ?? null,
    backchannelLogoutSessionRequired: Number(row.backchannel_logout_session_required ?? 0) === 1,
    secretHash: row.secret_hash,
    previousSecret:
      row.previous_secret_hash && row.previous_secret_expires_at != null
        ? { hash: row.previous_secret_hash, expiresAt: Number(row.previous_secret_expires_at) }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: Number(row.revision),
  };
}

export class ClientRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
    /** Servers only, outside transactions: see client-cache.ts and sqlite-client-cache.ts. */
    private readonly cache?: ClientCache,
  ) {}

  /** Creates a client; the plain secret is returned once and only its hash is kept. */
  async create(input: NewClient): Promise<{ client: Client; secret: string | null }> {
    const now = this.clock();
    const id = input.id ?? `gh_${randomToken(16)}`;
    const secret = input.isPublic ? null : `ghs_${randomToken(32)}`;
    await atomically(this.db, async (trx) => {
      await trx
        .insertInto('clients')
        .values({
          id,
          secret_hash: secret ? sha256(secret) : null,
          name: input.name,
          description: input.description ?? '',
          redirect_uris: JSON.stringify(input.redirectUris),
          post_logout_redirect_uris: JSON.stringify(input.postLogoutRedirectUris ?? []),
          grant_types: JSON.stringify(input.grantTypes),
          scopes: JSON.stringify(input.scopes),
          resources: JSON.stringify(input.resources ?? []),
          is_public: input.isPublic ? 1 : 0,
          first_party: input.firstParty ? 1 : 0,
          id_token_alg: input.idTokenAlg ?? 'RS256',
          pkce: input.pkce ?? 'required',
          refresh_reuse_grace: input.refreshReuseGrace ?? 0,
          id_token_claims: input.idTokenClaims ? 1 : 0,
          require_mfa: input.requireMfa ? 1 : 0,
          logo_uri: input.links?.logoUri ?? null,
          policy_uri: input.links?.policyUri ?? null,
          tos_uri: input.links?.tosUri ?? null,
          app_type: input.appType ?? null,
          backchannel_logout_uri: input.backchannelLogoutUri ?? null,
          backchannel_logout_session_required: input.backchannelLogoutSessionRequired ? 1 : 0,
          created_at: now,
          updated_at: now,
          issuer_id: this.issuer,
        })
        .execute();
      await recordEvent(trx, this.issuer, now, { type: 'client.created', clientId: id, payload: { client_name: input.name, public: input.isPublic } });
    });
    const client = await this.find(id);
    if (!client) throw new Error('client vanished after insert');
    return { client, secret };
  }

  async find(id: string): Promise<Client | undefined> {
    // The cache is shared by every issuer of the process: a client of another issuer is unknown here.
    const cached = this.cache?.get(id);
    if (cached) return cached.issuerId === this.issuer ? cached : undefined;
    const ticket = this.cache?.ticket() ?? 0;
    const row = await firstRow(this.db, FIND_CLIENT(this.db, id, this.issuer));
    if (!row) return undefined;
    const client = toClient(row);
    this.cache?.put(id, client, ticket);
    return client;
  }

  async list(): Promise<Client[]> {
    const rows = await this.db.selectFrom('clients').select(CLIENT_COLUMNS).where('issuer_id', '=', this.issuer).orderBy('created_at').orderBy('id').execute();
    return rows.map(toClient);
  }

  /** How many clients the issuer has, leaving out those whose id starts with `exceptPrefix`. */
  async count(exceptPrefix?: string): Promise<number> {
    let query = this.db
      .selectFrom('clients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('issuer_id', '=', this.issuer);
    // Ids are [A-Za-z0-9_-]: '_' is a LIKE wildcard, so the prefix is compared as a string instead.
    if (exceptPrefix) query = query.where((eb) => eb(eb.fn('substr', ['id', eb.val(1), eb.val(exceptPrefix.length)]), '!=', exceptPrefix));
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * One page of the issuer's clients in registration order, after `after` (created_at, id);
   * `q` keeps those whose name or id contains it (any case). Reads limit + 1 rows: the caller
   * learns from the extra one whether there is a next page.
   */
  async page(options: { after?: readonly [number, string]; limit: number; q?: string }): Promise<Client[]> {
    let query = this.db.selectFrom('clients').select(CLIENT_COLUMNS).where('issuer_id', '=', this.issuer);
    const after = options.after;
    if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
    const q = options.q;
    if (q) query = query.where((eb) => eb.or([containsText('name', q), containsText('id', q)]));
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    return rows.map(toClient);
  }

  /**
   * Changes what `changes` names; false when there is no such client, or (with `revision`) when
   * the client has changed since that revision was read.
   */
  async update(id: string, changes: ClientChanges, revision?: number): Promise<boolean> {
    const set: Updateable<ClientTable> = { updated_at: this.clock() };
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.grantTypes !== undefined) set.grant_types = JSON.stringify(changes.grantTypes);
    if (changes.resources !== undefined) set.resources = JSON.stringify(changes.resources);
    if (changes.firstParty !== undefined) set.first_party = changes.firstParty ? 1 : 0;
    if (changes.idTokenAlg !== undefined) set.id_token_alg = changes.idTokenAlg;
    if (changes.redirectUris !== undefined) set.redirect_uris = JSON.stringify(changes.redirectUris);
    if (changes.postLogoutRedirectUris !== undefined) set.post_logout_redirect_uris = JSON.stringify(changes.postLogoutRedirectUris);
    if (changes.scopes !== undefined) set.scopes = JSON.stringify(changes.scopes);
    if (changes.pkce !== undefined) set.pkce = changes.pkce;
    if (changes.refreshReuseGrace !== undefined) set.refresh_reuse_grace = changes.refreshReuseGrace;
    if (changes.idTokenClaims !== undefined) set.id_token_claims = changes.idTokenClaims ? 1 : 0;
    if (changes.requireMfa !== undefined) set.require_mfa = changes.requireMfa ? 1 : 0;
    if (changes.links?.logoUri !== undefined) set.logo_uri = changes.links.logoUri;
    if (changes.links?.policyUri !== undefined) set.policy_uri = changes.links.policyUri;
    if (changes.links?.tosUri !== undefined) set.tos_uri = changes.links.tosUri;
    if (changes.backchannelLogoutUri !== undefined) set.backchannel_logout_uri = changes.backchannelLogoutUri;
    if (changes.backchannelLogoutSessionRequired !== undefined) set.backchannel_logout_session_required = changes.backchannelLogoutSessionRequired ? 1 : 0;
    const changed = Object.keys(changes).filter((k) => changes[k as keyof ClientChanges] !== undefined);
    const result = await atomically(this.db, async (trx) => {
      let update = trx
        .updateTable('clients')
        .set(set)
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('id', '=', id)
        .where('issuer_id', '=', this.issuer);
      if (revision !== undefined) update = update.where('revision', '=', revision);
      const updated = await update.executeTakeFirst();
      if (updated.numUpdatedRows > 0n) await recordEvent(trx, this.issuer, this.clock(), { type: 'client.updated', clientId: id, payload: { changed } });
      return updated;
    });
    // Other instances hear of it by notification (or the SQLite file's data_version); this one at once.
    this.cache?.forget(id);
    return result.numUpdatedRows > 0n;
  }

  /** Deleting a client deletes its grants, codes and tokens with it (foreign keys cascade). */
  async delete(id: string): Promise<boolean> {
    const result = await atomically(this.db, async (trx) => {
      const deleted = await trx.deleteFrom('clients').where('id', '=', id).where('issuer_id', '=', this.issuer).executeTakeFirst();
      if (deleted.numDeletedRows > 0n) await recordEvent(trx, this.issuer, this.clock(), { type: 'client.deleted', clientId: id, payload: {} });
      return deleted;
    });
    // Other instances hear of it by notification; this one at once.
    this.cache?.forget(id);
    return result.numDeletedRows > 0n;
  }

  /**
   * Replaces the secret of a confidential client. With `overlapSeconds` > 0 the old secret keeps
   * working until then (auth/client-auth-methods.ts), else it stops at once; a secret from an
   * earlier rotation stops either way. With `revision`, only that revision is rotated. Undefined
   * when there is no such confidential client (or it changed since `revision`).
   */
  async rotateSecret(
    id: string,
    options: { overlapSeconds?: number; revision?: number } = {},
  ): Promise<{ secret: string; previousSecretExpiresAt: number | null } | undefined> {
    const secret = `ghs_${randomToken(32)}`;
    const now = this.clock();
    const overlap = Math.max(0, Math.floor(options.overlapSeconds ?? 0));
    const previousSecretExpiresAt = overlap > 0 ? now + overlap : null;
    const result = await atomically(this.db, async (trx) => {
      let update = trx
        .updateTable('clients')
        .set((eb) => ({
          previous_secret_hash: overlap > 0 ? eb.ref('secret_hash') : null,
          previous_secret_expires_at: previousSecretExpiresAt,
          secret_hash: sha256(secret),
          updated_at: now,
          revision: eb('revision', '+', 1),
        }))
        .where('id', '=', id)
        .where('issuer_id', '=', this.issuer)
        .where('is_public', '=', 0);
      if (options.revision !== undefined) update = update.where('revision', '=', options.revision);
      const rotated = await update.executeTakeFirst();
      if (rotated.numUpdatedRows > 0n) await recordEvent(trx, this.issuer, now, { type: 'client.secret_rotated', clientId: id, payload: {} });
      return rotated;
    });
    this.cache?.forget(id);
    return result.numUpdatedRows > 0n ? { secret, previousSecretExpiresAt } : undefined;
  }
}

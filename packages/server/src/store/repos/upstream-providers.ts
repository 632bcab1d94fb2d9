import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, UpstreamProviderTable } from '../schema.js';
import { atomically, recordEvent } from './events.js';

/** Which upstream claims (or userinfo members) give the user's details; dotted paths are not followed. */
export interface ClaimMapping {
  subject: string;
  email: string;
  emailVerified: string;
  name: string;
  picture: string;
  /** Plain OAuth 2.0 providers that assert no verification: 1 trusts every email they give (GitHub's emails API is checked instead). */
  emailAlwaysVerified?: boolean;
}

export type DefaultSignIn = 'off' | 'link' | 'always';

/** An upstream provider as the federation code sees it; the client secret stays sealed here. */
export interface UpstreamProvider {
  id: string;
  kind: 'oidc' | 'oauth2';
  preset: string | null;
  displayName: string;
  issuerUrl: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  clientId: string;
  sealedClientSecret: string;
  scopes: string[];
  claimMapping: ClaimMapping;
  trustedForLinking: boolean;
  trustAmr: boolean;
  enabled: boolean;
  /** Whether it is the issuer's default (federation/default.ts): off, for <issuer>/signin, or for every sign-in without a login_hint. */
  defaultSignIn: DefaultSignIn;
  createdAt: number;
  updatedAt: number;
}

export type NewUpstreamProvider = Omit<UpstreamProvider, 'createdAt' | 'updatedAt'>;
export type UpstreamProviderChange = Partial<Omit<UpstreamProvider, 'id' | 'kind' | 'createdAt' | 'updatedAt'>>;

function toProvider(row: Selectable<UpstreamProviderTable>): UpstreamProvider {
  return {
    id: row.id,
    kind: row.kind === 'oauth2' ? 'oauth2' : 'oidc',
    preset: row.preset,
    displayName: row.display_name,
    issuerUrl: row.issuer_url,
    authorizationEndpoint: row.authorization_endpoint,
    tokenEndpoint: row.token_endpoint,
    userinfoEndpoint: row.userinfo_endpoint,
    clientId: row.client_id,
    sealedClientSecret: row.client_secret,
    scopes: row.scopes.split(' ').filter((s) => s !== ''),
    claimMapping: JSON.parse(row.claim_mapping) as ClaimMapping,
    trustedForLinking: row.trusted_for_linking === 1,
    trustAmr: row.trust_amr === 1,
    enabled: row.enabled === 1,
    defaultSignIn: row.default_sign_in === 'link' || row.default_sign_in === 'always' ? row.default_sign_in : 'off',
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** An issuer's upstream identity providers; another issuer's provider id finds nothing here. */
export class UpstreamProviderRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** False when the id is taken at this issuer. */
  async create(input: NewUpstreamProvider): Promise<UpstreamProvider | undefined> {
    const now = this.clock();
    const row: UpstreamProviderTable = {
      issuer_id: this.issuer,
      id: input.id,
      kind: input.kind,
      preset: input.preset,
      display_name: input.displayName,
      issuer_url: input.issuerUrl,
      authorization_endpoint: input.authorizationEndpoint,
      token_endpoint: input.tokenEndpoint,
      userinfo_endpoint: input.userinfoEndpoint,
      client_id: input.clientId,
      client_secret: input.sealedClientSecret,
      scopes: input.scopes.join(' '),
      claim_mapping: JSON.stringify(input.claimMapping),
      trusted_for_linking: input.trustedForLinking ? 1 : 0,
      trust_amr: input.trustAmr ? 1 : 0,
      enabled: input.enabled ? 1 : 0,
      default_sign_in: input.defaultSignIn,
      created_at: now,
      updated_at: now,
    };
    if (await this.find(input.id)) return undefined;
    try {
      await atomically(this.db, async (trx) => {
        if (row.default_sign_in !== 'off')
          await trx.updateTable('upstream_providers').set({ default_sign_in: 'off' }).where('issuer_id', '=', this.issuer).execute();
        await trx.insertInto('upstream_providers').values(row).execute();
        await recordEvent(trx, this.issuer, now, { type: 'upstream_provider.created', payload: { provider_id: input.id, kind: input.kind } });
      });
    } catch (error) {
      // Two creations of one id at once: the primary key decides.
      if (await this.find(input.id)) return undefined;
      throw error;
    }
    return toProvider(row);
  }

  async find(id: string): Promise<UpstreamProvider | undefined> {
    const row = await this.db.selectFrom('upstream_providers').selectAll().where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
    return row && toProvider(row);
  }

  /** Every provider of the issuer, in creation order. */
  /** The issuer's default provider, when one is set and enabled. */
  async findDefault(): Promise<UpstreamProvider | undefined> {
    const row = await this.db
      .selectFrom('upstream_providers')
      .selectAll()
      .where('issuer_id', '=', this.issuer)
      .where('default_sign_in', '!=', 'off')
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return row && toProvider(row);
  }

  async list(): Promise<UpstreamProvider[]> {
    const rows = await this.db.selectFrom('upstream_providers').selectAll().where('issuer_id', '=', this.issuer).orderBy('created_at').orderBy('id').execute();
    return rows.map(toProvider);
  }

  async update(id: string, change: UpstreamProviderChange): Promise<UpstreamProvider | undefined> {
    const set: Partial<UpstreamProviderTable> = { updated_at: this.clock() };
    if (change.preset !== undefined) set.preset = change.preset;
    if (change.displayName !== undefined) set.display_name = change.displayName;
    if (change.issuerUrl !== undefined) set.issuer_url = change.issuerUrl;
    if (change.authorizationEndpoint !== undefined) set.authorization_endpoint = change.authorizationEndpoint;
    if (change.tokenEndpoint !== undefined) set.token_endpoint = change.tokenEndpoint;
    if (change.userinfoEndpoint !== undefined) set.userinfo_endpoint = change.userinfoEndpoint;
    if (change.clientId !== undefined) set.client_id = change.clientId;
    if (change.sealedClientSecret !== undefined) set.client_secret = change.sealedClientSecret;
    if (change.scopes !== undefined) set.scopes = change.scopes.join(' ');
    if (change.claimMapping !== undefined) set.claim_mapping = JSON.stringify(change.claimMapping);
    if (change.trustedForLinking !== undefined) set.trusted_for_linking = change.trustedForLinking ? 1 : 0;
    if (change.trustAmr !== undefined) set.trust_amr = change.trustAmr ? 1 : 0;
    if (change.enabled !== undefined) set.enabled = change.enabled ? 1 : 0;
    if (change.defaultSignIn !== undefined) set.default_sign_in = change.defaultSignIn;
    const changed = Object.keys(change).filter((k) => change[k as keyof UpstreamProviderChange] !== undefined);
    const updated = await atomically(this.db, async (trx) => {
      // One default per issuer: making this one the default makes no other one the default.
      if (change.defaultSignIn !== undefined && change.defaultSignIn !== 'off') {
        await trx.updateTable('upstream_providers').set({ default_sign_in: 'off' }).where('issuer_id', '=', this.issuer).where('id', '!=', id).execute();
      }
      const result = await trx.updateTable('upstream_providers').set(set).where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      // Field names only: a changed client secret is said to have changed, never what it is.
      const names = changed.map((k) => (k === 'sealedClientSecret' ? 'clientSecret' : k));
      await recordEvent(trx, this.issuer, set.updated_at ?? 0, { type: 'upstream_provider.updated', payload: { provider_id: id, changed: names } });
      return true;
    });
    return updated ? this.find(id) : undefined;
  }

  /** Deletes the provider and the identities linked through it (they can sign in through it no more). */
  async delete(id: string): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const result = await trx.deleteFrom('upstream_providers').where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await trx.deleteFrom('linked_identities').where('issuer_id', '=', this.issuer).where('provider_id', '=', id).execute();
      await trx.deleteFrom('upstream_flows').where('issuer_id', '=', this.issuer).where('provider_id', '=', id).execute();
      await trx.deleteFrom('organization_sso').where('issuer_id', '=', this.issuer).where('provider_id', '=', id).execute();
      await recordEvent(trx, this.issuer, this.clock(), { type: 'upstream_provider.deleted', payload: { provider_id: id } });
      return true;
    });
  }
}

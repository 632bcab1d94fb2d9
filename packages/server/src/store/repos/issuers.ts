import type { Kysely } from 'kysely';
import { DEFAULT_ISSUER_ID, issuerIdProblem } from '../../issuers/ids.js';
import type { StoredSettings } from '../../issuers/settings.js';
import type { Clock } from '../clock.js';
import { atomically, recordEvent } from './events.js';
import type { Database } from '../schema.js';

export interface IssuerRecord {
  id: string;
  /** '' for the default issuer until one is set: it then takes GATEHOUSE_BRAND_NAME. */
  name: string;
  settings: StoredSettings;
  domains: string[];
  createdAt: number;
  updatedAt: number;
  /** Bumped by every update: the Admin API's ETag for the issuer and its settings. */
  revision: number;
}

export class IssuerIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IssuerIdError';
  }
}

/** The id is taken: by a live issuer, or by a deleted one (ids are never given out again). */
export class IssuerIdTakenError extends IssuerIdError {
  constructor(message: string) {
    super(message);
    this.name = 'IssuerIdTakenError';
  }
}

export class DomainTakenError extends Error {
  constructor(domain: string) {
    super(`the domain ${domain} already belongs to an issuer`);
    this.name = 'DomainTakenError';
  }
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** A custom domain as stored: lower case, no port, no trailing dot; undefined when it cannot be one. */
export function normalizeDomain(value: string): string | undefined {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  return HOST_NAME.test(domain) ? domain : undefined;
}

/** The issuers of this deployment (not bound to one: this is where issuers themselves live). */
export class IssuerRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(input: { id: string; name: string; settings?: StoredSettings; domains?: string[] }): Promise<IssuerRecord> {
    const problem = issuerIdProblem(input.id);
    if (problem) throw new IssuerIdError(problem);
    const now = this.clock();
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('issuers').select(['id', 'deleted_at']).where('id', '=', input.id).executeTakeFirst();
      if (existing) {
        throw new IssuerIdTakenError(
          existing.deleted_at === null
            ? `an issuer "${input.id}" already exists`
            : `the id "${input.id}" belonged to a deleted issuer and is never given out again`,
        );
      }
      await trx
        .insertInto('issuers')
        .values({ id: input.id, name: input.name, settings: JSON.stringify(input.settings ?? {}), created_at: now, updated_at: now, deleted_at: null })
        .execute();
      for (const domain of input.domains ?? []) await addDomain(trx, input.id, domain, now);
      await recordEvent(trx, input.id, now, { type: 'issuer.created', payload: { name: input.name } });
      const created = await new IssuerRepository(trx, this.clock).find(input.id);
      if (!created) throw new Error('issuer vanished after insert');
      return created;
    });
  }

  /** A live issuer by id; the default issuer always exists (migration 010). */
  async find(id: string): Promise<IssuerRecord | undefined> {
    const row = await this.db.selectFrom('issuers').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) return undefined;
    const domains = await this.db.selectFrom('issuer_domains').select('domain').where('issuer_id', '=', id).orderBy('created_at').orderBy('domain').execute();
    return {
      id: row.id,
      name: row.name,
      settings: JSON.parse(row.settings) as StoredSettings,
      domains: domains.map((d) => d.domain),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      revision: Number(row.revision),
    };
  }

  /** Live issuers, the default one first, then by id. */
  async list(): Promise<IssuerRecord[]> {
    const rows = await this.db.selectFrom('issuers').select('id').where('deleted_at', 'is', null).orderBy('id').execute();
    const found = await Promise.all(rows.map((r) => this.find(r.id)));
    const live = found.filter((r): r is IssuerRecord => r !== undefined);
    return [...live.filter((r) => r.id === DEFAULT_ISSUER_ID), ...live.filter((r) => r.id !== DEFAULT_ISSUER_ID)];
  }

  /** Every custom domain with its issuer: what the resolver keeps in memory. */
  async domains(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('issuer_domains')
      .innerJoin('issuers', 'issuers.id', 'issuer_domains.issuer_id')
      .select(['issuer_domains.domain', 'issuer_domains.issuer_id'])
      .where('issuers.deleted_at', 'is', null)
      .execute();
    return new Map(rows.map((r) => [r.domain, r.issuer_id]));
  }

  /**
   * Sets the name and the stored settings (whole: validateSettings merged them), bumping the
   * revision; records issuer.updated naming what differs (`brand.color`, `accessTokenTtl`, and
   * `also`, e.g. `domains` changed beside). False when there is no such issuer, or (with
   * `revision`) when it has changed since that revision was read.
   */
  async update(id: string, changes: { name?: string; settings?: StoredSettings; also?: string[] }, revision?: number): Promise<boolean> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const current = await trx.selectFrom('issuers').select(['name', 'settings']).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!current) return false;
      const set: { updated_at: number; name?: string; settings?: string } = { updated_at: now };
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.settings !== undefined) set.settings = JSON.stringify(changes.settings);
      let update = trx
        .updateTable('issuers')
        .set(set)
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('id', '=', id)
        .where('deleted_at', 'is', null);
      if (revision !== undefined) update = update.where('revision', '=', revision);
      const result = await update.executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      const changed = [
        ...(changes.name !== undefined && changes.name !== current.name ? ['name'] : []),
        ...(changes.settings === undefined ? [] : settingsChanged(JSON.parse(current.settings) as StoredSettings, changes.settings)),
        ...(changes.also ?? []),
      ];
      await recordEvent(trx, id, now, { type: 'issuer.updated', payload: { changed } });
      return true;
    });
  }

  async addDomain(id: string, domain: string): Promise<void> {
    await addDomain(this.db, id, domain, this.clock());
  }

  async removeDomain(id: string, domain: string): Promise<boolean> {
    const result = await this.db.deleteFrom('issuer_domains').where('issuer_id', '=', id).where('domain', '=', domain).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** How many users the issuer has: deleting one that has any needs --force. */
  async userCount(id: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('issuer_id', '=', id)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Deletes an issuer's rows, every table of them, and keeps its id as a tombstone so no later
   * issuer is given it (tokens and apps may still name it).
   */
  async delete(id: string): Promise<boolean> {
    if (id === DEFAULT_ISSUER_ID) throw new IssuerIdError('the default issuer cannot be deleted');
    return this.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('issuers')
        .set({ deleted_at: this.clock(), settings: '{}' })
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (marked.numUpdatedRows === 0n) return false;
      const users = await new IssuerRepository(trx, this.clock).userCount(id);
      await trx.deleteFrom('issuer_domains').where('issuer_id', '=', id).execute();
      // Children before parents: the foreign keys between them would cascade anyway, but not across every table.
      for (const table of [
        'admin_roles',
        'idempotency_keys',
        'proof_of_work_spent',
        'email_codes',
        'console_setup_links',
        'email_verifications',
        'webhook_attempts',
        'webhook_endpoint_events',
        'webhook_endpoints',
        'organization_member_roles',
        'organization_members',
        'organization_roles',
        'organizations',
        'retired_organization_ids',
        'refresh_tokens',
        'authorization_codes',
        'grants',
        'consents',
        'access_token_revocations',
        'password_resets',
        'totp_factors',
        'recovery_codes',
        'passkey_challenges',
        'passkeys',
        'wallet_challenges',
        'wallets',
        'claim_attributes',
        'claim_config',
        'organization_sso',
        'upstream_flows',
        'linked_identities',
        'upstream_providers',
        'stripe_events',
        'stripe_subscriptions',
        'event_deliveries',
        'events',
        'account_closures',
        'known_login_addresses',
        'interactions',
        'sessions',
        'known_login_addresses',
        'signing_keys',
        'clients',
        'users',
      ] as const) {
        await trx.deleteFrom(table).where('issuer_id', '=', id).execute();
      }
      await trx.deleteFrom('rate_limits').where('key', 'like', `${id}/%`).execute();
      // The issuer's own log went with it; the deployment's (the default issuer's) keeps the deletion.
      await recordEvent(trx, DEFAULT_ISSUER_ID, this.clock(), { type: 'issuer.deleted', payload: { users } });
      return true;
    });
  }
}

async function addDomain(db: Kysely<Database>, id: string, value: string, now: number): Promise<void> {
  const domain = normalizeDomain(value);
  if (!domain) throw new IssuerIdError(`"${value.slice(0, 80)}" is not a host name (e.g. login.acme.example)`);
  const taken = await db.selectFrom('issuer_domains').select('issuer_id').where('domain', '=', domain).executeTakeFirst();
  if (taken) throw new DomainTakenError(domain);
  await db.insertInto('issuer_domains').values({ domain, issuer_id: id, created_at: now }).execute();
}

/** The settings that differ between two stored sets: top-level names, and `brand.x`, `login.x` inside those. */
function settingsChanged(before: StoredSettings, after: StoredSettings): string[] {
  const differ = (a: unknown, b: unknown): boolean => JSON.stringify(a) !== JSON.stringify(b);
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof StoredSettings>;
  for (const key of keys) {
    if (key === 'brand' || key === 'login') {
      const a = (before[key] ?? {}) as Record<string, unknown>;
      const b = (after[key] ?? {}) as Record<string, unknown>;
      for (const inner of new Set([...Object.keys(a), ...Object.keys(b)])) if (differ(a[inner], b[inner])) out.push(`${key}.${inner}`);
    } else if (differ(before[key], after[key])) out.push(key);
  }
  return out.sort();
}

import type { Kysely, Selectable } from 'kysely';
import { assertValid, newOrganizationId, organizationIdProblem } from '../../organizations/names.js';
import type { Clock } from '../clock.js';
import type { MfaPolicy } from '../../issuers/settings.js';
import { containsText } from '../like.js';
import type { Database, OrganizationTable } from '../schema.js';
import { atomically, recordEvent } from './events.js';

const COLUMNS = ['id', 'name', 'suspended', 'created_at', 'updated_at', 'revision', 'mfa'] as const;

export interface Organization {
  id: string;
  name: string;
  suspended: boolean;
  /** The second-factor policy for its members (signin/mfa-policy.ts; migration 025). */
  mfa: MfaPolicy;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every change of the name or suspension: the Admin API's ETag. */
  revision: number;
}

/** An organization with how many members and roles it has (the operator's list). */
export interface OrganizationSummary extends Organization {
  members: number;
  roles: number;
}

export class DuplicateOrganizationError extends Error {
  constructor(id: string) {
    super(`an organization with id "${id}" already exists`);
    this.name = 'DuplicateOrganizationError';
  }
}

export class RetiredOrganizationIdError extends Error {
  constructor(id: string) {
    super(`the id "${id}" belonged to a deleted organization; apps may still hold data under it, so it is never given to another`);
    this.name = 'RetiredOrganizationIdError';
  }
}

function toOrganization(row: Omit<Selectable<OrganizationTable>, 'issuer_id'>): Organization {
  return {
    id: row.id,
    name: row.name,
    suspended: row.suspended === 1,
    mfa: row.mfa === 'optional' || row.mfa === 'required' ? row.mfa : 'off',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: Number(row.revision),
  };
}

/** Organizations themselves; their roles and members have repositories of their own. */
export class OrganizationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Creates an organization under `id` (validated), or a generated `org_…` id without one. */
  async create(input: { id?: string; name: string }): Promise<Organization> {
    const id = input.id ?? newOrganizationId();
    assertValid(organizationIdProblem(id));
    if (await this.find(id)) throw new DuplicateOrganizationError(id);
    if (await this.isRetired(id)) throw new RetiredOrganizationIdError(id);
    const now = this.clock();
    const row = { id, name: input.name, suspended: 0, created_at: now, updated_at: now, issuer_id: this.issuer };
    try {
      await atomically(this.db, async (trx) => {
        await trx.insertInto('organizations').values(row).execute();
        await recordEvent(trx, this.issuer, now, { type: 'organization.created', payload: { organization_id: id, name: input.name } });
      });
    } catch (error) {
      // Two concurrent creations of one id: the primary key decides. (In a caller's transaction
      // PostgreSQL has aborted it by now: the caller sees the database's error instead.)
      if (!this.db.isTransaction && (await this.find(id))) throw new DuplicateOrganizationError(id);
      throw error;
    }
    return toOrganization({ ...row, revision: 1, mfa: 'off' });
  }

  async find(id: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organizations').select(COLUMNS).where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
    return row ? toOrganization(row) : undefined;
  }

  /** Every organization with its member and role counts, oldest first. */
  async list(): Promise<OrganizationSummary[]> {
    const rows = await this.summaries().orderBy('organizations.created_at').orderBy('organizations.id').execute();
    return rows.map(toSummary);
  }

  /**
   * One page of the issuer's organizations, oldest first, after `after` (created_at, id); `q`
   * keeps those whose name or id contains it (any case). Reads limit + 1 rows: the caller learns
   * from the extra one whether there is a next page.
   */
  async page(options: { after?: readonly [number, string]; limit: number; q?: string }): Promise<OrganizationSummary[]> {
    let query = this.summaries();
    const after = options.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('organizations.created_at', '>', after[0]), eb.and([eb('organizations.created_at', '=', after[0]), eb('organizations.id', '>', after[1])])]),
      );
    }
    const q = options.q;
    if (q) query = query.where((eb) => eb.or([containsText('organizations.name', q), containsText('organizations.id', q)]));
    const rows = await query
      .orderBy('organizations.created_at')
      .orderBy('organizations.id')
      .limit(options.limit + 1)
      .execute();
    return rows.map(toSummary);
  }

  private summaries() {
    return this.db
      .selectFrom('organizations')
      .select(COLUMNS.map((c) => `organizations.${c}` as const))
      .select((eb) => [
        eb
          .selectFrom('organization_members')
          .whereRef('organization_members.issuer_id', '=', 'organizations.issuer_id')
          .whereRef('organization_members.organization_id', '=', 'organizations.id')
          .select((s) => s.fn.countAll().as('n'))
          .as('members'),
        eb
          .selectFrom('organization_roles')
          .whereRef('organization_roles.issuer_id', '=', 'organizations.issuer_id')
          .whereRef('organization_roles.organization_id', '=', 'organizations.id')
          .select((s) => s.fn.countAll().as('n'))
          .as('roles'),
      ])
      .where('organizations.issuer_id', '=', this.issuer);
  }

  async rename(id: string, name: string): Promise<boolean> {
    return this.update(id, { name });
  }

  /** Suspending keeps everything but leaves the organization out of tokens until it is resumed. */
  async setSuspended(id: string, suspended: boolean): Promise<boolean> {
    return this.update(id, { suspended });
  }

  /**
   * Changes the name, suspension and/or second-factor policy; false when there is no such organization. The
   * `organization.updated` event lists what really changed (none: no event, a no-op is no change).
   * With `revision`, the change applies only if the organization is still at that revision (else
   * false too: the caller tells the two apart by reading it again).
   */
  async update(id: string, changes: { name?: string; suspended?: boolean; mfa?: MfaPolicy }, revision?: number): Promise<boolean> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const before = await trx
        .selectFrom('organizations')
        .select(['name', 'suspended', 'revision', 'mfa'])
        .where('issuer_id', '=', this.issuer)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!before) return false;
      if (revision !== undefined && Number(before.revision) !== revision) return false;
      const changed: ('name' | 'suspended' | 'mfa')[] = [];
      if (changes.name !== undefined && changes.name !== before.name) changed.push('name');
      if (changes.suspended !== undefined && (changes.suspended ? 1 : 0) !== before.suspended) changed.push('suspended');
      if (changes.mfa !== undefined && changes.mfa !== before.mfa) changed.push('mfa');
      const set: { updated_at: number; name?: string; suspended?: number; mfa?: string } = { updated_at: now };
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.mfa !== undefined) set.mfa = changes.mfa;
      if (changes.suspended !== undefined) set.suspended = changes.suspended ? 1 : 0;
      let update = trx
        .updateTable('organizations')
        .set(set)
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('issuer_id', '=', this.issuer)
        .where('id', '=', id);
      // The condition is in the statement too: a change committed since the read above loses nothing.
      if (revision !== undefined) update = update.where('revision', '=', revision);
      const result = await update.executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (changed.length > 0) await recordEvent(trx, this.issuer, now, { type: 'organization.updated', payload: { organization_id: id, changed } });
      return true;
    });
  }

  /**
   * Deletes the organization with its roles and memberships (foreign keys cascade), and retires
   * its id in the same transaction, so no later organization is given it.
   */
  async delete(id: string): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const result = await trx.deleteFrom('organizations').where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx
        .deleteFrom('claim_attributes')
        .where('issuer_id', '=', this.issuer)
        .where('subject_kind', '=', 'organization')
        .where('subject_id', '=', id)
        .execute();
      const now = this.clock();
      await trx
        .insertInto('retired_organization_ids')
        .values({ id, retired_at: now, issuer_id: this.issuer })
        .onConflict((oc) => oc.columns(['issuer_id', 'id']).doNothing())
        .execute();
      await recordEvent(trx, this.issuer, now, { type: 'organization.deleted', payload: { organization_id: id } });
      return true;
    });
  }

  private async isRetired(id: string): Promise<boolean> {
    return (
      (await this.db.selectFrom('retired_organization_ids').select('id').where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst()) !==
      undefined
    );
  }
}

type SummaryRow = Omit<Selectable<OrganizationTable>, 'issuer_id'> & { members: unknown; roles: unknown };

function toSummary(row: SummaryRow): OrganizationSummary {
  return { ...toOrganization(row), members: Number(row.members ?? 0), roles: Number(row.roles ?? 0) };
}

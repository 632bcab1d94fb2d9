import type { Kysely, Selectable } from 'kysely';
import { assertValid, newOrganizationId, organizationIdProblem } from '../../organizations/names.js';
import type { Clock } from '../clock.js';
import type { Database, OrganizationTable } from '../schema.js';

const COLUMNS = ['id', 'name', 'suspended', 'created_at', 'updated_at'] as const;

export interface Organization {
  id: string;
  name: string;
  suspended: boolean;
  createdAt: number;
  updatedAt: number;
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
  return { id: row.id, name: row.name, suspended: row.suspended === 1, createdAt: row.created_at, updatedAt: row.updated_at };
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
      await this.db.insertInto('organizations').values(row).execute();
    } catch (error) {
      // Two concurrent creations of one id: the primary key decides.
      if (await this.find(id)) throw new DuplicateOrganizationError(id);
      throw error;
    }
    return toOrganization(row);
  }

  async find(id: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organizations').select(COLUMNS).where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
    return row ? toOrganization(row) : undefined;
  }

  /** Every organization with its member and role counts, oldest first. */
  async list(): Promise<OrganizationSummary[]> {
    const rows = await this.db
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
      .where('organizations.issuer_id', '=', this.issuer)
      .orderBy('organizations.created_at')
      .orderBy('organizations.id')
      .execute();
    return rows.map((row) => ({ ...toOrganization(row), members: Number(row.members ?? 0), roles: Number(row.roles ?? 0) }));
  }

  async rename(id: string, name: string): Promise<boolean> {
    const result = await this.db.updateTable('organizations').set({ name, updated_at: this.clock() }).where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Suspending keeps everything but leaves the organization out of tokens until it is resumed. */
  async setSuspended(id: string, suspended: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('organizations')
      .set({ suspended: suspended ? 1 : 0, updated_at: this.clock() })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Deletes the organization with its roles and memberships (foreign keys cascade), and retires
   * its id in the same transaction, so no later organization is given it.
   */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('organizations').where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx.insertInto('retired_organization_ids').values({ id, retired_at: this.clock(), issuer_id: this.issuer })
        .onConflict((oc) => oc.columns(['issuer_id', 'id']).doNothing()).execute();
      return true;
    });
  }

  private async isRetired(id: string): Promise<boolean> {
    return (await this.db.selectFrom('retired_organization_ids').select('id').where('issuer_id', '=', this.issuer).where('id', '=', id).executeTakeFirst()) !== undefined;
  }
}

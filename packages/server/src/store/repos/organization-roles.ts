import type { Kysely } from 'kysely';
import { assertValid, permissionProblem, roleNameProblem, sortedUnique } from '../../organizations/names.js';
import type { Clock } from '../clock.js';
import { parseList } from '../json.js';
import type { Database } from '../schema.js';
import { atomically, recordEvent } from './events.js';

export interface OrganizationRole {
  organizationId: string;
  name: string;
  /** `<action>:<resource>`, sorted and distinct. */
  permissions: string[];
  createdAt: number;
  updatedAt: number;
}

const COLUMNS = ['organization_id', 'name', 'permissions', 'created_at', 'updated_at'] as const;

/** The roles an organization defines, each a named set of permissions. */
export class OrganizationRoleRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /**
   * Defines a role, or replaces the permissions of an existing one (members keep the role and
   * get the new permissions at their next refresh). The organization must exist.
   */
  async set(organizationId: string, name: string, permissions: string[]): Promise<{ role: OrganizationRole; created: boolean }> {
    assertValid(roleNameProblem(name));
    for (const permission of permissions) assertValid(permissionProblem(permission));
    const list = sortedUnique(permissions);
    const now = this.clock();
    const existing = await atomically(this.db, async (trx) => {
      const found = await this.findIn(trx, organizationId, name);
      await trx
        .insertInto('organization_roles')
        .values({ organization_id: organizationId, name, permissions: JSON.stringify(list), created_at: now, updated_at: now, issuer_id: this.issuer })
        .onConflict((oc) => oc.columns(['issuer_id', 'organization_id', 'name']).doUpdateSet({ permissions: JSON.stringify(list), updated_at: now }))
        .execute();
      const type = found ? 'organization.role_updated' : 'organization.role_created';
      await recordEvent(trx, this.issuer, now, { type, payload: { organization_id: organizationId, role: name, permissions: list } });
      return found;
    });
    return {
      role: { organizationId, name, permissions: list, createdAt: existing?.createdAt ?? now, updatedAt: now },
      created: existing === undefined,
    };
  }

  find(organizationId: string, name: string): Promise<OrganizationRole | undefined> {
    return this.findIn(this.db, organizationId, name);
  }

  private async findIn(db: Kysely<Database>, organizationId: string, name: string): Promise<OrganizationRole | undefined> {
    const row = await db
      .selectFrom('organization_roles')
      .select(COLUMNS)
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row
      ? { organizationId: row.organization_id, name: row.name, permissions: parseList(row.permissions), createdAt: row.created_at, updatedAt: row.updated_at }
      : undefined;
  }

  /** An organization's roles by name. */
  async list(organizationId: string): Promise<OrganizationRole[]> {
    const rows = await this.db
      .selectFrom('organization_roles')
      .select(COLUMNS)
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .orderBy('name')
      .execute();
    return rows.map((row) => ({
      organizationId: row.organization_id,
      name: row.name,
      permissions: parseList(row.permissions),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  /**
   * Deletes a role; members holding it lose it (the foreign key cascades) and keep their other
   * roles. Returns how many members held it, or undefined when there was no such role.
   */
  async delete(organizationId: string, name: string): Promise<number | undefined> {
    return atomically(this.db, async (trx) => {
      const held = await trx
        .selectFrom('organization_member_roles')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('issuer_id', '=', this.issuer)
        .where('organization_id', '=', organizationId)
        .where('role', '=', name)
        .executeTakeFirst();
      const result = await trx
        .deleteFrom('organization_roles')
        .where('issuer_id', '=', this.issuer)
        .where('organization_id', '=', organizationId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) return undefined;
      const affected = Number(held?.n ?? 0);
      await recordEvent(trx, this.issuer, this.clock(), {
        type: 'organization.role_deleted',
        payload: { organization_id: organizationId, role: name, members_affected: affected },
      });
      return affected;
    });
  }
}

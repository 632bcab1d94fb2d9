import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, OrganizationSsoTable } from '../schema.js';

/** An organization's enterprise sign-in: its provider, whether it is the only way in, and roles from an upstream claim. */
export interface OrganizationSso {
  organizationId: string;
  providerId: string;
  required: boolean;
  roleClaim: string | null;
  roleMap: Record<string, string[]>;
  updatedAt: number;
}

function toSso(row: Selectable<OrganizationSsoTable>): OrganizationSso {
  return {
    organizationId: row.organization_id,
    providerId: row.provider_id,
    required: row.required === 1,
    roleClaim: row.role_claim,
    roleMap: JSON.parse(row.role_map) as Record<string, string[]>,
    updatedAt: Number(row.updated_at),
  };
}

/** The issuer's organizations' SSO settings; every query names the issuer. */
export class OrganizationSsoRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async find(organizationId: string): Promise<OrganizationSso | undefined> {
    const row = await this.db
      .selectFrom('organization_sso')
      .selectAll()
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    return row && toSso(row);
  }

  async put(sso: Omit<OrganizationSso, 'updatedAt'>): Promise<OrganizationSso> {
    const row: OrganizationSsoTable = {
      issuer_id: this.issuer,
      organization_id: sso.organizationId,
      provider_id: sso.providerId,
      required: sso.required ? 1 : 0,
      role_claim: sso.roleClaim,
      role_map: JSON.stringify(sso.roleMap),
      updated_at: this.clock(),
    };
    await this.db
      .insertInto('organization_sso')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['issuer_id', 'organization_id']).doUpdateSet({
          provider_id: row.provider_id,
          required: row.required,
          role_claim: row.role_claim,
          role_map: row.role_map,
          updated_at: row.updated_at,
        }),
      )
      .execute();
    return toSso(row);
  }

  async delete(organizationId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('organization_sso')
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The organizations that take members (roles) from sign-ins through `providerId`. */
  async forProvider(providerId: string): Promise<OrganizationSso[]> {
    const rows = await this.db.selectFrom('organization_sso').selectAll().where('issuer_id', '=', this.issuer).where('provider_id', '=', providerId).execute();
    return rows.map(toSso);
  }

  /** The organizations of which the user is a member that require their members to sign in through a provider. */
  async requiredFor(userId: string): Promise<OrganizationSso[]> {
    const rows = await this.db
      .selectFrom('organization_sso as s')
      .innerJoin('organization_members as m', (j) => j.onRef('m.organization_id', '=', 's.organization_id').onRef('m.issuer_id', '=', 's.issuer_id'))
      .selectAll('s')
      .where('s.issuer_id', '=', this.issuer)
      .where('m.user_id', '=', userId)
      .where('s.required', '=', 1)
      .execute();
    return rows.map(toSso);
  }
}

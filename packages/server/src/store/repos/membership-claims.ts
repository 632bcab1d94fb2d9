import type { Kysely } from 'kysely';
import { sortedUnique } from '../../organizations/names.js';
import { parseList } from '../json.js';
import { prepared } from '../prepared.js';
import type { Database } from '../schema.js';

/** One entry of the `organizations` claim (the SDK's OrganizationMembership). */
export interface MembershipClaim {
  id: string;
  roles: string[];
  permissions: string[];
}

/**
 * A user's memberships of organizations that are not suspended, one row per role held (one row
 * with a NULL role for a member without roles), with that role's permissions. Prepared: it runs
 * at every refresh and userinfo call of a grant with the `organizations` scope. The members are
 * found through organization_members_user_id, each one's roles and each role through their
 * primary keys.
 */
const MEMBERSHIPS_OF_USER = prepared((db, issuer: string, userId: string) =>
  db
    .selectFrom('organization_members as m')
    .innerJoin('organizations as o', (join) => join.onRef('o.issuer_id', '=', 'm.issuer_id').onRef('o.id', '=', 'm.organization_id'))
    .leftJoin('organization_member_roles as mr', (join) =>
      join.onRef('mr.issuer_id', '=', 'm.issuer_id').onRef('mr.organization_id', '=', 'm.organization_id').onRef('mr.user_id', '=', 'm.user_id'),
    )
    .leftJoin('organization_roles as r', (join) =>
      join.onRef('r.issuer_id', '=', 'mr.issuer_id').onRef('r.organization_id', '=', 'mr.organization_id').onRef('r.name', '=', 'mr.role'),
    )
    .select(['m.organization_id', 'mr.role', 'r.permissions'])
    .where('m.user_id', '=', userId)
    .where('m.issuer_id', '=', issuer)
    .where('o.suspended', '=', 0),
);

/**
 * The `organizations` claim of a user, read in one statement: per membership of a live
 * organization its id, the member's roles and the union of those roles' permissions, each list
 * sorted and distinct; entries sorted by id; [] for a user with none.
 */
export async function readMembershipClaims(db: Kysely<Database>, issuer: string, userId: string): Promise<MembershipClaim[]> {
  const { rows } = await db.executeQuery(MEMBERSHIPS_OF_USER(db, issuer, userId));
  const byOrganization = new Map<string, { roles: string[]; permissions: string[] }>();
  for (const row of rows) {
    let entry = byOrganization.get(row.organization_id);
    if (!entry) {
      entry = { roles: [], permissions: [] };
      byOrganization.set(row.organization_id, entry);
    }
    if (row.role !== null) entry.roles.push(row.role);
    if (row.permissions !== null) entry.permissions.push(...parseList(row.permissions));
  }
  return [...byOrganization.keys()].sort().map((id) => {
    const entry = byOrganization.get(id) as { roles: string[]; permissions: string[] };
    return { id, roles: sortedUnique(entry.roles), permissions: sortedUnique(entry.permissions) };
  });
}

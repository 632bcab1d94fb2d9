import { type Kysely, PostgresAdapter } from 'kysely';
import { ADMIN_ROLES, type AdminRole, isAdminRole } from '../../admin/roles.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { atomically, recordEvent } from './events.js';

export interface AdminAssignment {
  userId: string;
  email: string;
  role: AdminRole;
  createdAt: number;
  updatedAt: number;
}

/** Who administers the issuer: one role per user (admin/roles.ts). */
export class AdminRoleRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** The user's role here; undefined when they have none (or are a user of another issuer). */
  async find(userId: string): Promise<AdminRole | undefined> {
    const row = await this.db.selectFrom('admin_roles').select('role').where('issuer_id', '=', this.issuer).where('user_id', '=', userId).executeTakeFirst();
    return row && isAdminRole(row.role) ? row.role : undefined;
  }

  async list(): Promise<AdminAssignment[]> {
    const rows = await this.db
      .selectFrom('admin_roles')
      .innerJoin('users', (j) => j.onRef('users.id', '=', 'admin_roles.user_id').onRef('users.issuer_id', '=', 'admin_roles.issuer_id'))
      .select(['admin_roles.user_id', 'users.email', 'admin_roles.role', 'admin_roles.created_at', 'admin_roles.updated_at'])
      .where('admin_roles.issuer_id', '=', this.issuer)
      .execute();
    // Owners first, then admins, then viewers; by email within each (a short list: sorted here).
    return rows
      .flatMap((r) =>
        isAdminRole(r.role) ? [{ userId: r.user_id, email: r.email, role: r.role, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) }] : [],
      )
      .sort((a, b) => ADMIN_ROLES.indexOf(a.role) - ADMIN_ROLES.indexOf(b.role) || (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  }

  /**
   * How many owners the issuer has (the last one cannot be removed). In a transaction on
   * PostgreSQL the owners' rows are locked, so two transactions demoting two owners at once
   * cannot both count two; SQLite runs one writing transaction at a time anyway.
   */
  async ownerCount(): Promise<number> {
    const query = this.db.selectFrom('admin_roles').select('user_id').where('issuer_id', '=', this.issuer).where('role', '=', 'owner');
    const locking = this.db.isTransaction && this.db.getExecutor().adapter instanceof PostgresAdapter;
    return (await (locking ? query.forUpdate() : query).execute()).length;
  }

  /**
   * Gives `userId` (a user of this issuer: the caller checks) the role, replacing any other;
   * returns the role they had. Records `admin.role_granted`.
   */
  async set(userId: string, role: AdminRole): Promise<AdminRole | undefined> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const before = await new AdminRoleRepository(trx, this.clock, this.issuer).find(userId);
      if (before === role) return before;
      if (before === undefined) {
        await trx.insertInto('admin_roles').values({ issuer_id: this.issuer, user_id: userId, role, created_at: now, updated_at: now }).execute();
      } else {
        await trx.updateTable('admin_roles').set({ role, updated_at: now }).where('issuer_id', '=', this.issuer).where('user_id', '=', userId).execute();
      }
      await recordEvent(trx, this.issuer, now, { type: 'admin.role_granted', userId, payload: { role, previous: before ?? null } });
      return before;
    });
  }

  /** Takes the user's role away; the role they had, or undefined when they had none. */
  async remove(userId: string): Promise<AdminRole | undefined> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const before = await new AdminRoleRepository(trx, this.clock, this.issuer).find(userId);
      if (before === undefined) return undefined;
      await trx.deleteFrom('admin_roles').where('issuer_id', '=', this.issuer).where('user_id', '=', userId).execute();
      await recordEvent(trx, this.issuer, now, { type: 'admin.role_revoked', userId, payload: { role: before } });
      return before;
    });
  }
}

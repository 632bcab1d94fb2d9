import type { Kysely } from 'kysely';
import { sortedUnique } from '../../organizations/names.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { atomically, recordEvent } from './events.js';
import { type MembershipClaim, readMembershipClaims } from './membership-claims.js';

/** One member of an organization as the operator sees it. */
export interface Member {
  userId: string;
  email: string;
  name: string | null;
  /** Sorted. */
  roles: string[];
  createdAt: number;
  updatedAt: number;
}

export class DuplicateMembershipError extends Error {
  constructor() {
    super('the user is already a member of this organization');
    this.name = 'DuplicateMembershipError';
  }
}

export class UnknownRoleError extends Error {
  constructor(
    readonly organizationId: string,
    readonly roles: string[],
  ) {
    super(`organization ${organizationId} has no role ${roles.map((r) => `"${r}"`).join(', ')}`);
    this.name = 'UnknownRoleError';
  }
}

/**
 * Who belongs to which organization, with which of its roles. Each write is one transaction
 * (the caller's, when it runs in one) with its event, so a member never shows half their roles.
 */
export class MembershipRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Adds a user to an organization with `roles`, which must all be defined there. */
  add(organizationId: string, userId: string, roles: string[]): Promise<Member> {
    return this.atomically((repo) => repo.#add(organizationId, userId, roles));
  }

  async #add(organizationId: string, userId: string, roles: string[]): Promise<Member> {
    const wanted = await this.checkRoles(organizationId, roles);
    if (await this.exists(organizationId, userId)) throw new DuplicateMembershipError();
    const now = this.clock();
    await this.db
      .insertInto('organization_members')
      .values({ organization_id: organizationId, user_id: userId, created_at: now, updated_at: now, issuer_id: this.issuer })
      .execute();
    await this.insertRoles(organizationId, userId, wanted);
    const member = await this.find(organizationId, userId);
    if (!member) throw new Error('membership vanished after insert');
    await recordEvent(this.db, this.issuer, now, { type: 'organization.member_added', userId, payload: { organization_id: organizationId, roles: wanted } });
    return member;
  }

  private atomically<T>(fn: (repo: MembershipRepository) => Promise<T>): Promise<T> {
    return atomically(this.db, (trx) => fn(trx === this.db ? this : new MembershipRepository(trx, this.clock, this.issuer)));
  }

  /** Replaces a member's roles; undefined when the user is not a member. */
  setRoles(organizationId: string, userId: string, roles: string[]): Promise<Member | undefined> {
    return this.atomically((repo) => repo.#setRoles(organizationId, userId, roles));
  }

  async #setRoles(organizationId: string, userId: string, roles: string[]): Promise<Member | undefined> {
    const wanted = await this.checkRoles(organizationId, roles);
    const now = this.clock();
    const touched = await this.db
      .updateTable('organization_members')
      .set({ updated_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (touched.numUpdatedRows === 0n) return undefined;
    await this.db
      .deleteFrom('organization_member_roles')
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .execute();
    await this.insertRoles(organizationId, userId, wanted);
    await recordEvent(this.db, this.issuer, now, {
      type: 'organization.member_roles_changed',
      userId,
      payload: { organization_id: organizationId, roles: wanted },
    });
    return this.find(organizationId, userId);
  }

  /** Removes a member (their roles go with the membership); false when they were not one. */
  async remove(organizationId: string, userId: string): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const result = await trx
        .deleteFrom('organization_members')
        .where('issuer_id', '=', this.issuer)
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await recordEvent(trx, this.issuer, this.clock(), { type: 'organization.member_removed', userId, payload: { organization_id: organizationId } });
      return true;
    });
  }

  /** The user's `organizations` claim, in one statement (see membership-claims.ts). */
  claimsOf(userId: string): Promise<MembershipClaim[]> {
    return readMembershipClaims(this.db, this.issuer, userId);
  }

  async find(organizationId: string, userId: string): Promise<Member | undefined> {
    return (await this.members(organizationId, userId))[0];
  }

  /** An organization's members by email. */
  async list(organizationId: string): Promise<Member[]> {
    return this.members(organizationId, undefined);
  }

  /**
   * One page of an organization's members by email, after the member with email `after`: limit
   * + 1 members (the extra one tells the caller there is a next page), each with all their roles.
   * Members are read first and their roles after, so a member's roles never straddle two pages.
   */
  async page(organizationId: string, options: { after?: string; limit: number }): Promise<Member[]> {
    let query = this.db
      .selectFrom('organization_members as m')
      .innerJoin('users', 'users.id', 'm.user_id')
      .select(['m.user_id', 'users.email', 'users.name', 'm.created_at', 'm.updated_at'])
      .where('m.issuer_id', '=', this.issuer)
      .where('users.issuer_id', '=', this.issuer)
      .where('m.organization_id', '=', organizationId);
    if (options.after !== undefined) query = query.where('users.email', '>', options.after);
    const rows = await query
      .orderBy('users.email')
      .limit(options.limit + 1)
      .execute();
    if (rows.length === 0) return [];
    const roles = await this.db
      .selectFrom('organization_member_roles')
      .select(['user_id', 'role'])
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .where(
        'user_id',
        'in',
        rows.map((r) => r.user_id),
      )
      .orderBy('role')
      .execute();
    return rows.map((row) => ({
      userId: row.user_id,
      email: row.email,
      name: row.name,
      roles: roles.filter((r) => r.user_id === row.user_id).map((r) => r.role),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  private async members(organizationId: string, userId: string | undefined): Promise<Member[]> {
    let query = this.db
      .selectFrom('organization_members as m')
      .innerJoin('users', 'users.id', 'm.user_id')
      .leftJoin('organization_member_roles as r', (join) =>
        join.onRef('r.issuer_id', '=', 'm.issuer_id').onRef('r.organization_id', '=', 'm.organization_id').onRef('r.user_id', '=', 'm.user_id'),
      )
      .select(['m.user_id', 'users.email', 'users.name', 'm.created_at', 'm.updated_at', 'r.role'])
      .where('m.issuer_id', '=', this.issuer)
      .where('users.issuer_id', '=', this.issuer)
      .where('m.organization_id', '=', organizationId);
    if (userId !== undefined) query = query.where('m.user_id', '=', userId);
    const rows = await query.orderBy('users.email').orderBy('r.role').execute();
    const byUser = new Map<string, Member>();
    for (const row of rows) {
      let member = byUser.get(row.user_id);
      if (!member) {
        member = { userId: row.user_id, email: row.email, name: row.name, roles: [], createdAt: row.created_at, updatedAt: row.updated_at };
        byUser.set(row.user_id, member);
      }
      if (row.role !== null) member.roles.push(row.role);
    }
    return [...byUser.values()];
  }

  private async exists(organizationId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('organization_members')
      .select('user_id')
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The distinct roles asked for, once each is known to exist in the organization (else UnknownRoleError). */
  private async checkRoles(organizationId: string, roles: string[]): Promise<string[]> {
    const wanted = sortedUnique(roles);
    if (wanted.length === 0) return wanted;
    const found = await this.db
      .selectFrom('organization_roles')
      .select('name')
      .where('issuer_id', '=', this.issuer)
      .where('organization_id', '=', organizationId)
      .where('name', 'in', wanted)
      .execute();
    const known = new Set(found.map((r) => r.name));
    const unknown = wanted.filter((r) => !known.has(r));
    if (unknown.length > 0) throw new UnknownRoleError(organizationId, unknown);
    return wanted;
  }

  private async insertRoles(organizationId: string, userId: string, roles: string[]): Promise<void> {
    if (roles.length === 0) return;
    await this.db
      .insertInto('organization_member_roles')
      .values(roles.map((role) => ({ organization_id: organizationId, user_id: userId, role, issuer_id: this.issuer })))
      .execute();
  }
}

import type { Kysely } from 'kysely';
import type { AttributeTarget } from '../../claims/config.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { atomically, recordEvent } from './events.js';

/** What one claim read finds: the user's attributes, and those of each organization they belong to. */
export interface AttributeRead {
  user: Record<string, unknown>;
  /** Attribute name → organization id → value. */
  organizations: Record<string, Record<string, unknown>>;
}

/**
 * The typed attributes of one issuer's users and organizations (migration 036). Values are
 * validated by claims/service.ts before they get here; this stores and reads them.
 */
export class ClaimAttributeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Sets a value, with its attribute.set event in the same transaction. */
  set(target: AttributeTarget, subjectId: string, name: string, value: unknown): Promise<void> {
    return atomically(this.db, (trx) => new ClaimAttributeRepository(trx, this.clock, this.issuer).#set(target, subjectId, name, value));
  }

  async #set(target: AttributeTarget, subjectId: string, name: string, value: unknown): Promise<void> {
    const now = this.clock();
    const json = JSON.stringify(value);
    await this.#record('attribute.set', target, subjectId, name, now);
    const updated = await this.db
      .updateTable('claim_attributes')
      .set({ value: json, updated_at: now })
      .where('issuer_id', '=', this.issuer)
      .where('subject_kind', '=', target)
      .where('subject_id', '=', subjectId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) return;
    await this.db
      .insertInto('claim_attributes')
      .values({ issuer_id: this.issuer, subject_kind: target, subject_id: subjectId, name, value: json, updated_at: now })
      .execute();
  }

  /** Removes a value (its attribute.removed event in the same transaction); false when none was set. */
  unset(target: AttributeTarget, subjectId: string, name: string): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const result = await trx
        .deleteFrom('claim_attributes')
        .where('issuer_id', '=', this.issuer)
        .where('subject_kind', '=', target)
        .where('subject_id', '=', subjectId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await new ClaimAttributeRepository(trx, this.clock, this.issuer).#record('attribute.removed', target, subjectId, name, this.clock());
      return true;
    });
  }

  #record(type: 'attribute.set' | 'attribute.removed', target: AttributeTarget, subjectId: string, name: string, now: number): Promise<string> {
    return recordEvent(this.db, this.issuer, now, {
      type,
      userId: target === 'user' ? subjectId : null,
      payload: { target, subject_id: subjectId, name },
    });
  }

  /** Every attribute of one user or organization, by name. */
  async of(target: AttributeTarget, subjectId: string): Promise<Record<string, unknown>> {
    const rows = await this.db
      .selectFrom('claim_attributes')
      .select(['name', 'value'])
      .where('issuer_id', '=', this.issuer)
      .where('subject_kind', '=', target)
      .where('subject_id', '=', subjectId)
      .orderBy('name')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
  }

  /** Removes every attribute of one user or organization (when it is deleted). */
  async clear(target: AttributeTarget, subjectId: string): Promise<void> {
    await this.db
      .deleteFrom('claim_attributes')
      .where('issuer_id', '=', this.issuer)
      .where('subject_kind', '=', target)
      .where('subject_id', '=', subjectId)
      .execute();
  }

  /**
   * The attributes a token or userinfo call may release, in one statement: the user's own and
   * those of the live (not suspended) organizations they are a member of.
   */
  async readForUser(userId: string): Promise<AttributeRead> {
    const rows = await this.db
      .selectFrom('claim_attributes as a')
      .select(['a.subject_kind', 'a.subject_id', 'a.name', 'a.value'])
      .where('a.issuer_id', '=', this.issuer)
      .where((eb) =>
        eb.or([
          eb.and([eb('a.subject_kind', '=', 'user'), eb('a.subject_id', '=', userId)]),
          eb.and([
            eb('a.subject_kind', '=', 'organization'),
            eb(
              'a.subject_id',
              'in',
              eb
                .selectFrom('organization_members as m')
                .innerJoin('organizations as o', (join) => join.onRef('o.issuer_id', '=', 'm.issuer_id').onRef('o.id', '=', 'm.organization_id'))
                .select('m.organization_id')
                .where('m.issuer_id', '=', this.issuer)
                .where('m.user_id', '=', userId)
                .where('o.suspended', '=', 0),
            ),
          ]),
        ]),
      )
      .orderBy('a.subject_id')
      .execute();
    const read: AttributeRead = { user: {}, organizations: {} };
    for (const row of rows) {
      const value = JSON.parse(row.value);
      if (row.subject_kind === 'user') read.user[row.name] = value;
      else {
        const byOrganization = read.organizations[row.name] ?? {};
        byOrganization[row.subject_id] = value;
        read.organizations[row.name] = byOrganization;
      }
    }
    return read;
  }
}

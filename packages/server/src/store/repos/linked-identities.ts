import type { Kysely, Selectable } from 'kysely';
import { randomId } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, LinkedIdentityTable } from '../schema.js';
import { atomically, recordEvent } from './events.js';

/** An upstream identity (provider + subject) linked to a user of one issuer. */
export interface LinkedIdentity {
  id: string;
  userId: string;
  providerId: string;
  subject: string;
  email: string | null;
  linkedAt: number;
  lastUsedAt: number | null;
}

export interface NewLinkedIdentity {
  userId: string;
  providerId: string;
  subject: string;
  email: string | null;
  /** Why the link is allowed (the identity.linked event says it). */
  how: 'created' | 'verified_email' | 'proved_account';
}

function toIdentity(row: Selectable<LinkedIdentityTable>): LinkedIdentity {
  return {
    id: row.id,
    userId: row.user_id,
    providerId: row.provider_id,
    subject: row.subject,
    email: row.email,
    linkedAt: Number(row.linked_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

/** The upstream identities linked to an issuer's users; every query names the issuer. */
export class LinkedIdentityRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async findBySubject(providerId: string, subject: string): Promise<LinkedIdentity | undefined> {
    const row = await this.db
      .selectFrom('linked_identities')
      .selectAll()
      .where('issuer_id', '=', this.issuer)
      .where('provider_id', '=', providerId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row && toIdentity(row);
  }

  async listForUser(userId: string): Promise<LinkedIdentity[]> {
    const rows = await this.db
      .selectFrom('linked_identities')
      .selectAll()
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .orderBy('linked_at')
      .orderBy('id')
      .execute();
    return rows.map(toIdentity);
  }

  /**
   * Links the identity; undefined when (provider, subject) is already linked, to this user or
   * another (the unique index decides between two links at once).
   */
  async link(input: NewLinkedIdentity): Promise<LinkedIdentity | undefined> {
    const now = this.clock();
    const row: LinkedIdentityTable = {
      id: randomId(),
      issuer_id: this.issuer,
      user_id: input.userId,
      provider_id: input.providerId,
      subject: input.subject,
      email: input.email,
      linked_at: now,
      last_used_at: now,
    };
    if (await this.findBySubject(input.providerId, input.subject)) return undefined;
    try {
      await atomically(this.db, async (trx) => {
        await trx.insertInto('linked_identities').values(row).execute();
        await recordEvent(trx, this.issuer, now, {
          type: 'identity.linked',
          userId: input.userId,
          payload: { identity_id: row.id, provider_id: input.providerId, how: input.how },
        });
      });
    } catch (error) {
      if (await this.findBySubject(input.providerId, input.subject)) return undefined;
      throw error;
    }
    return toIdentity(row);
  }

  async touch(id: string, email: string | null): Promise<void> {
    await this.db
      .updateTable('linked_identities')
      .set({ last_used_at: this.clock(), email })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .execute();
  }

  /** Unlinks every identity of the user (an anonymised account, account/close.ts). */
  async unlinkAll(userId: string): Promise<void> {
    await this.db.deleteFrom('linked_identities').where('issuer_id', '=', this.issuer).where('user_id', '=', userId).execute();
  }

  /** Unlinks one of the user's identities; false when it is not theirs (or not this issuer's). */
  async unlink(userId: string, id: string): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const row = await trx
        .deleteFrom('linked_identities')
        .where('issuer_id', '=', this.issuer)
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .returning(['provider_id'])
        .executeTakeFirst();
      if (!row) return false;
      await recordEvent(trx, this.issuer, this.clock(), { type: 'identity.unlinked', userId, payload: { identity_id: id, provider_id: row.provider_id } });
      return true;
    });
  }
}

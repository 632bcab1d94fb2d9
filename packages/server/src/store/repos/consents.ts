import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { firstRow, prepared } from '../prepared.js';
import { atomically, recordEvent } from './events.js';

const FIND_CONSENT = prepared((db, userId: string, clientId: string, issuer: string) =>
  db.selectFrom('consents').select('scope').where('user_id', '=', userId).where('client_id', '=', clientId).where('issuer_id', '=', issuer),
);

/** What a user has approved for a client, remembered so consent is asked only for new scopes. */
export class ConsentRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async find(userId: string, clientId: string): Promise<string[]> {
    const row = await firstRow(this.db, FIND_CONSENT(this.db, userId, clientId, this.issuer));
    return row ? row.scope.split(' ').filter(Boolean) : [];
  }

  /** Adds scopes to what the user approved before. */
  async add(userId: string, clientId: string, scopes: string[]): Promise<void> {
    const now = this.clock();
    const merged = [...new Set([...(await this.find(userId, clientId)), ...scopes])].join(' ');
    await atomically(this.db, async (trx) => {
      await trx
        .insertInto('consents')
        .values({ user_id: userId, client_id: clientId, scope: merged, created_at: now, updated_at: now, issuer_id: this.issuer })
        .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scope: merged, updated_at: now }).where('consents.issuer_id', '=', this.issuer))
        .execute();
      await recordEvent(trx, this.issuer, now, { type: 'consent.granted', userId, clientId, payload: { scope: scopes } });
    });
  }

  /**
   * Forgets the approval of these scopes only (a scope removed from an app's access), so the
   * next authorization asking for one of them shows the consent page again; the rest stays
   * remembered. Recorded by the grant's `grant.scope_removed`, not by an event of its own.
   */
  async removeScopes(userId: string, clientId: string, scopes: readonly string[]): Promise<void> {
    const before = await this.find(userId, clientId);
    const kept = before.filter((s) => !scopes.includes(s));
    if (kept.length === before.length) return;
    await this.db
      .updateTable('consents')
      .set({ scope: kept.join(' '), updated_at: this.clock() })
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .where('issuer_id', '=', this.issuer)
      .execute();
  }

  async revoke(userId: string, clientId: string): Promise<void> {
    await atomically(this.db, async (trx) => {
      const gone = await trx
        .deleteFrom('consents')
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('issuer_id', '=', this.issuer)
        .executeTakeFirst();
      if (gone.numDeletedRows > 0n) await recordEvent(trx, this.issuer, this.clock(), { type: 'consent.revoked', userId, clientId, payload: {} });
    });
  }
}

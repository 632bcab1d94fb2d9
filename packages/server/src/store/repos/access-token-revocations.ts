import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { atomically, recordEvent } from './events.js';

/**
 * Access tokens are self-contained JWTs and issuing one writes nothing. What is stored is the
 * exception: a token revoked on its own (RFC 7009). Tokens of a revoked grant are refused
 * through the grant instead, named by their `gid` claim.
 */
export class AccessTokenRevocationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /**
   * Kept until the token would have expired anyway; revoking twice is harmless. The first
   * revocation records `access_token.revoked` in the same transaction, which webhooks deliver
   * to resource servers (docs/revocation.md); the revocation feed reads the row itself.
   */
  async revoke(jti: string, expiresAt: number, who: { clientId?: string | null; userId?: string | null } = {}): Promise<void> {
    const now = this.clock();
    await atomically(this.db, async (trx) => {
      const inserted = await trx
        .insertInto('access_token_revocations')
        .values({ jti, expires_at: expiresAt, revoked_at: now, issuer_id: this.issuer })
        .onConflict((oc) => oc.column('jti').doNothing())
        .returning('jti')
        .execute();
      if (inserted.length === 0) return;
      await recordEvent(trx, this.issuer, now, {
        type: 'access_token.revoked',
        clientId: who.clientId ?? null,
        userId: who.userId ?? null,
        payload: { jti, expires_at: expiresAt },
      });
    });
  }

  async isRevoked(jti: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('access_token_revocations')
      .select('jti')
      .where('jti', '=', jti)
      .where('issuer_id', '=', this.issuer)
      .executeTakeFirst();
    return row !== undefined;
  }
}

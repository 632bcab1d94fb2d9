import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

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

  /** Kept until the token would have expired anyway; revoking twice is harmless. */
  async revoke(jti: string, expiresAt: number): Promise<void> {
    await this.db
      .insertInto('access_token_revocations')
      .values({ jti, expires_at: expiresAt, revoked_at: this.clock(), issuer_id: this.issuer })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
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

import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

export interface AccessTokenRecord {
  jti: string;
  grantId: string | null;
  clientId: string;
  userId: string | null;
  expiresAt: number;
}

/**
 * Access tokens are self-contained JWTs; this record lets Gatehouse's own endpoints (userinfo,
 * introspection) refuse one that was revoked directly or through its grant.
 */
export class AccessTokenRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async record(token: AccessTokenRecord): Promise<void> {
    await this.db
      .insertInto('access_tokens')
      .values({
        jti: token.jti,
        grant_id: token.grantId,
        client_id: token.clientId,
        user_id: token.userId,
        expires_at: token.expiresAt,
        revoked_at: null,
      })
      .execute();
  }

  /** The record if the token is unexpired and neither it nor its grant is revoked: one indexed query. */
  async findActive(jti: string): Promise<AccessTokenRecord | undefined> {
    const now = this.clock();
    const row = await this.db
      .selectFrom('access_tokens as t')
      .leftJoin('grants as g', 'g.id', 't.grant_id')
      .select(['t.jti', 't.grant_id', 't.client_id', 't.user_id', 't.expires_at'])
      .where('t.jti', '=', jti)
      .where('t.revoked_at', 'is', null)
      .where('t.expires_at', '>', now)
      .where((eb) => eb.or([eb('t.grant_id', 'is', null), eb('g.revoked_at', 'is', null)]))
      .executeTakeFirst();
    if (!row) return undefined;
    return { jti: row.jti, grantId: row.grant_id, clientId: row.client_id, userId: row.user_id, expiresAt: row.expires_at };
  }

  async find(jti: string): Promise<AccessTokenRecord | undefined> {
    const row = await this.db
      .selectFrom('access_tokens')
      .select(['jti', 'grant_id', 'client_id', 'user_id', 'expires_at'])
      .where('jti', '=', jti)
      .executeTakeFirst();
    if (!row) return undefined;
    return { jti: row.jti, grantId: row.grant_id, clientId: row.client_id, userId: row.user_id, expiresAt: row.expires_at };
  }

  async revoke(jti: string): Promise<void> {
    await this.db
      .updateTable('access_tokens')
      .set({ revoked_at: this.clock() })
      .where('jti', '=', jti)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

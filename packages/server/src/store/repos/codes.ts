import type { Kysely, Selectable } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { AuthorizationCodeTable, Database } from '../schema.js';
import { CODE_COLUMNS } from '../columns.js';
import { firstRow, prepared, preparedInsert } from '../prepared.js';

const INSERT_CODE = preparedInsert('authorization_codes', CODE_COLUMNS);
const CONSUME_CODE = prepared((db, id: string, clientId: string, now: number, grantId: string) =>
  db
    .updateTable('authorization_codes')
    .set({ consumed_at: now, grant_id: grantId })
    .where('id', '=', id)
    .where('client_id', '=', clientId)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(CODE_COLUMNS),
);
const FIND_CODE = prepared((db, id: string, clientId: string) =>
  db.selectFrom('authorization_codes').select(CODE_COLUMNS).where('id', '=', id).where('client_id', '=', clientId),
);

export interface AuthorizationCode {
  id: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce: string | null;
  sid: string | null;
  authTime: number;
  resource: string | null;
  expiresAt: number;
  consumedAt: number | null;
  grantId: string | null;
}

export type NewAuthorizationCode = Omit<AuthorizationCode, 'id' | 'expiresAt' | 'consumedAt' | 'grantId'>;

function toCode(row: Selectable<AuthorizationCodeTable>): AuthorizationCode {
  return {
    id: row.id,
    clientId: row.client_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    scope: row.scope,
    nonce: row.nonce,
    sid: row.sid,
    authTime: row.auth_time,
    resource: row.resource,
    expiresAt: row.expires_at,
    consumedAt: row.consumed_at,
    grantId: row.grant_id,
  };
}

export type ConsumeResult =
  | { status: 'ok'; code: AuthorizationCode }
  | { status: 'reused'; code: AuthorizationCode }
  | { status: 'invalid' };

export class AuthorizationCodeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Stores a new code (256 bits) and returns it; only its hash is kept. */
  async create(input: NewAuthorizationCode, ttl: number): Promise<string> {
    const now = this.clock();
    const code = randomToken(32);
    await this.db.executeQuery(
      INSERT_CODE(this.db, {
        id: sha256(code),
        client_id: input.clientId,
        user_id: input.userId,
        redirect_uri: input.redirectUri,
        code_challenge: input.codeChallenge,
        scope: input.scope,
        nonce: input.nonce,
        sid: input.sid,
        auth_time: input.authTime,
        resource: input.resource,
        created_at: now,
        expires_at: now + ttl,
        consumed_at: null,
        grant_id: null,
      }),
    );
    return code;
  }

  /**
   * Marks the code used and names the grant it will produce, in one statement, so of concurrent
   * exchanges exactly one gets 'ok'. 'reused' means it was already consumed; its grantId names
   * what the first exchange produced, for the caller to revoke. Run it in the same transaction
   * that creates the grant.
   */
  async consume(code: string, clientId: string, grantId: string): Promise<ConsumeResult> {
    const id = sha256(code);
    const now = this.clock();
    // Bound to the client: another client presenting a stolen code neither uses nor burns it.
    const row = await firstRow(this.db, CONSUME_CODE(this.db, id, clientId, now, grantId));
    if (row) return { status: 'ok', code: toCode(row) };
    const existing = await firstRow(this.db, FIND_CODE(this.db, id, clientId));
    if (existing && existing.consumed_at !== null) return { status: 'reused', code: toCode(existing) };
    return { status: 'invalid' };
  }
}

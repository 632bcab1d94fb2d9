import type { Kysely, Selectable } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { AuthorizationCodeTable, Database } from '../schema.js';
import { CODE_COLUMNS } from '../columns.js';
import { firstRow, prepared, preparedInsert } from '../prepared.js';
import { type AuthorizationCode, spendLiveCode, toCode } from './code-rows.js';
import { type Exchange, type PresentedCode, exchangeCode } from './code-exchange.js';
import type { BeforeCommit } from './refresh-rotation.js';
import { newRefreshToken } from './refresh-token-rows.js';
import { storedAmr } from '../../signin/assurance.js';

export type { AuthorizationCode } from './code-rows.js';

const INSERT_CODE = preparedInsert('authorization_codes', CODE_COLUMNS);
const CONSUME_CODE = prepared((db, issuer: string, id: string, clientId: string, now: number, grantId: string) =>
  spendLiveCode(db, issuer, id, clientId, now, grantId).returning(CODE_COLUMNS),
);
const FIND_CODE = prepared((db, issuer: string, id: string, clientId: string) =>
  db.selectFrom('authorization_codes').select(CODE_COLUMNS).where('id', '=', id).where('issuer_id', '=', issuer).where('client_id', '=', clientId),
);

export type NewAuthorizationCode = Omit<AuthorizationCode, 'id' | 'expiresAt' | 'consumedAt' | 'grantId' | 'amr' | 'acr' | 'idTokenClaims'> & {
  amr?: string[] | undefined;
  idTokenClaims?: string[] | undefined;
  acr?: string | null;
};

/** A code about to be stored: the code for the client, and its row (which keeps only the hash). */
export function newCode(issuer: string, input: NewAuthorizationCode, ttl: number, now: number): { code: string; row: Selectable<AuthorizationCodeTable> } {
  const code = randomToken(32);
  const row = {
    id: sha256(code),
    client_id: input.clientId,
    user_id: input.userId,
    redirect_uri: input.redirectUri,
    code_challenge: input.codeChallenge,
    scope: input.scope,
    nonce: input.nonce,
    sid: input.sid,
    auth_time: input.authTime,
    amr: input.amr ? storedAmr(input.amr) : null,
    acr: input.acr ?? null,
    resource: input.resource,
    id_token_claims: input.idTokenClaims && input.idTokenClaims.length > 0 ? JSON.stringify(input.idTokenClaims) : null,
    created_at: now,
    expires_at: now + ttl,
    consumed_at: null,
    grant_id: null,
    issuer_id: issuer,
  };
  return { code, row };
}

export type ConsumeResult = { status: 'ok'; code: AuthorizationCode } | { status: 'reused'; code: AuthorizationCode } | { status: 'invalid' };

export class AuthorizationCodeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Stores a new code (256 bits) and returns it; only its hash is kept. */
  async create(input: NewAuthorizationCode, ttl: number): Promise<string> {
    const { code, row } = newCode(this.issuer, input, ttl, this.clock());
    await this.db.executeQuery(INSERT_CODE(this.db, row));
    return code;
  }

  /**
   * The code exchange's usual case in one step (see code-exchange.ts): a code that passes every
   * check becomes grant `grantId`, with a refresh token when `withRefreshToken`. undefined,
   * with nothing changed, when any check fails.
   */
  exchange<T>(
    code: string,
    check: Omit<PresentedCode, 'id' | 'issuer'>,
    grant: { id: string; ttl: number },
    withRefreshToken: boolean,
    beforeCommit?: BeforeCommit<T>,
  ): Promise<Exchange<T> | undefined> {
    return exchangeCode(
      this.db,
      this.clock,
      { id: sha256(code), issuer: this.issuer, ...check },
      grant,
      withRefreshToken ? newRefreshToken() : undefined,
      beforeCommit,
    );
  }

  /**
   * A live code of the client, without spending it (the claims hook reads whose code it is
   * before the exchange, so no transaction stays open while it is called); undefined otherwise.
   */
  async peek(code: string, clientId: string): Promise<AuthorizationCode | undefined> {
    const row = await firstRow(this.db, FIND_CODE(this.db, this.issuer, sha256(code), clientId));
    return row && row.consumed_at === null && row.expires_at > this.clock() ? toCode(row) : undefined;
  }

  /**
   * Spends a user's unused codes for a client, so none of them becomes a grant later (access
   * removed on the account page). Only unexpired codes can be unused, so the expires_at index
   * bounds the search to the last code lifetime.
   */
  async spendAllForUser(userId: string, clientId: string): Promise<void> {
    const now = this.clock();
    await this.db
      .updateTable('authorization_codes')
      .set({ consumed_at: now })
      .where('expires_at', '>', now)
      .where('consumed_at', 'is', null)
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .execute();
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
    const row = await firstRow(this.db, CONSUME_CODE(this.db, this.issuer, id, clientId, now, grantId));
    if (row) return { status: 'ok', code: toCode(row) };
    const existing = await firstRow(this.db, FIND_CODE(this.db, this.issuer, id, clientId));
    if (existing && existing.consumed_at !== null) return { status: 'reused', code: toCode(existing) };
    return { status: 'invalid' };
  }
}

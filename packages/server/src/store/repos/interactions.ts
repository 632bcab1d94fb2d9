import type { Kysely, Selectable } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { AuthorizationCodeTable, Database, InteractionTable, SessionTable } from '../schema.js';
import { commitLogin } from './login-commit.js';
import type { StepName, StepReason } from '../../signin/policy.js';
import { INTERACTION_COLUMNS } from '../columns.js';
import { changedRows, firstRow, prepared, preparedInsert } from '../prepared.js';

const INSERT_INTERACTION = preparedInsert('interactions', INTERACTION_COLUMNS);
const FIND_INTERACTION = prepared((db, id: string, now: number, issuer: string) =>
  db
    .selectFrom('interactions')
    .select(INTERACTION_COLUMNS)
    .where('id', '=', id)
    .where('issuer_id', '=', issuer)
    .where('completed_at', 'is', null)
    .where('expires_at', '>', now),
);
const ADVANCE_INTERACTION = prepared((db, id: string, prompt: string, reason: string | null, userId: string | null, sessionId: string | null, issuer: string) =>
  db
    .updateTable('interactions')
    .set({ prompt, reason, user_id: userId, session_id: sessionId })
    .where('id', '=', id)
    .where('issuer_id', '=', issuer)
    .where('completed_at', 'is', null),
);
const COMPLETE_INTERACTION = prepared((db, id: string, now: number, issuer: string) =>
  db.updateTable('interactions').set({ completed_at: now }).where('id', '=', id).where('issuer_id', '=', issuer).where('completed_at', 'is', null),
);

/** The step an interaction waits on (signin/policy.ts). */
export type Prompt = StepName;

const STEP_NAMES: ReadonlySet<string> = new Set<StepName>(['login', 'select_account', 'mfa', 'consent']);

export interface Interaction<P = unknown> {
  id: string;
  browserHash: string;
  csrfToken: string;
  params: P;
  prompt: Prompt;
  /** Why it waits on that step (signin/policy.ts); null for rows from before reasons were kept. */
  reason: StepReason | null;
  /** The user the step is for: signed in (consent), or chosen (login again, select_account done). */
  userId: string | null;
  sessionId: string | null;
  createdAt: number;
  expiresAt: number;
}

export function toInteraction<P>(row: Selectable<InteractionTable>): Interaction<P> {
  return {
    id: row.id,
    browserHash: row.browser_hash,
    csrfToken: row.csrf_token,
    params: JSON.parse(row.params) as P,
    prompt: STEP_NAMES.has(row.prompt) ? (row.prompt as StepName) : 'login',
    reason: row.reason as StepReason | null,
    userId: row.user_id,
    sessionId: row.session_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/**
 * A paused authorization request waiting for the user (login, then consent). It is bound to the
 * browser that started it by a cookie whose hash is stored here.
 */
export class InteractionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create<P>(
    params: P,
    prompt: Prompt,
    ttl: number,
    userId: string | null,
    sessionId: string | null,
    reason: StepReason | null = null,
  ): Promise<{
    interaction: Interaction<P>;
    browserSecret: string;
  }> {
    const now = this.clock();
    const browserSecret = randomToken(32);
    const row = {
      id: randomToken(16),
      browser_hash: sha256(browserSecret),
      csrf_token: randomToken(32),
      params: JSON.stringify(params),
      prompt,
      reason,
      user_id: userId,
      session_id: sessionId,
      created_at: now,
      expires_at: now + ttl,
      completed_at: null,
      issuer_id: this.issuer,
    };
    await this.db.executeQuery(INSERT_INTERACTION(this.db, row));
    return { interaction: toInteraction<P>(row), browserSecret };
  }

  /** An open, unexpired interaction. */
  async find<P>(id: string): Promise<Interaction<P> | undefined> {
    const row = await firstRow(this.db, FIND_INTERACTION(this.db, id, this.clock(), this.issuer));
    return row ? toInteraction<P>(row) : undefined;
  }

  /** Moves to the next step, for the given user and session (none yet: a login step). */
  async advance(id: string, prompt: Prompt, userId: string | null, sessionId: string | null, reason: StepReason | null = null): Promise<void> {
    await this.db.executeQuery(ADVANCE_INTERACTION(this.db, id, prompt, reason, userId, sessionId, this.issuer));
  }

  /**
   * A login's end in one step: finishes the interaction and stores the new session and the code
   * together (see login-commit.ts); false, storing nothing, if it was already finished.
   */
  completeWithLogin(id: string, session: Selectable<SessionTable>, code: Selectable<AuthorizationCodeTable>): Promise<boolean> {
    return commitLogin(this.db, this.issuer, id, this.clock(), session, code);
  }

  /**
   * Keeps an open interaction alive until at least `expiresAt` (a sign-up waiting for its mailed
   * code, signup/sign-up.ts); never shortens it, and a finished one stays finished.
   */
  async keepUntil(id: string, expiresAt: number): Promise<void> {
    await this.db
      .updateTable('interactions')
      .set({ expires_at: expiresAt })
      .where('id', '=', id)
      .where('issuer_id', '=', this.issuer)
      .where('completed_at', 'is', null)
      .where('expires_at', '<', expiresAt)
      .execute();
  }

  /** Finishes it exactly once; false if it was already finished (double submit, replay). */
  async complete(id: string): Promise<boolean> {
    return (await changedRows(this.db, COMPLETE_INTERACTION(this.db, id, this.clock(), this.issuer))) > 0;
  }
}

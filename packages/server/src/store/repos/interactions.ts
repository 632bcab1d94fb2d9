import type { Kysely, Selectable } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, InteractionTable } from '../schema.js';
import { INTERACTION_COLUMNS } from '../columns.js';

export type Prompt = 'login' | 'consent';

export interface Interaction<P = unknown> {
  id: string;
  browserHash: string;
  csrfToken: string;
  params: P;
  prompt: Prompt;
  userId: string | null;
  sessionId: string | null;
  createdAt: number;
  expiresAt: number;
}

function toInteraction<P>(row: Selectable<InteractionTable>): Interaction<P> {
  return {
    id: row.id,
    browserHash: row.browser_hash,
    csrfToken: row.csrf_token,
    params: JSON.parse(row.params) as P,
    prompt: row.prompt === 'consent' ? 'consent' : 'login',
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
  ) {}

  async create<P>(params: P, prompt: Prompt, ttl: number, userId: string | null, sessionId: string | null): Promise<{
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
      user_id: userId,
      session_id: sessionId,
      created_at: now,
      expires_at: now + ttl,
      completed_at: null,
    };
    await this.db.insertInto('interactions').values(row).execute();
    return { interaction: toInteraction<P>(row), browserSecret };
  }

  /** An open, unexpired interaction. */
  async find<P>(id: string): Promise<Interaction<P> | undefined> {
    const row = await this.db
      .selectFrom('interactions')
      .select(INTERACTION_COLUMNS)
      .where('id', '=', id)
      .where('completed_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .executeTakeFirst();
    return row ? toInteraction<P>(row) : undefined;
  }

  /** Moves to the next step (login done → consent) for the given user and session. */
  async advance(id: string, prompt: Prompt, userId: string, sessionId: string): Promise<void> {
    await this.db
      .updateTable('interactions')
      .set({ prompt, user_id: userId, session_id: sessionId })
      .where('id', '=', id)
      .where('completed_at', 'is', null)
      .execute();
  }

  /** Finishes it exactly once; false if it was already finished (double submit, replay). */
  async complete(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('interactions')
      .set({ completed_at: this.clock() })
      .where('id', '=', id)
      .where('completed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

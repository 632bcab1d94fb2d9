import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, UpstreamFlowTable } from '../schema.js';

/** A sign-in at an upstream provider, from the redirect there to the callback (and a pending link after it). */
export interface UpstreamFlow {
  stateHash: string;
  providerId: string;
  interactionId: string;
  browserHash: string;
  sealedCodeVerifier: string;
  nonce: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  /** Set when the identity waits for the existing account to prove itself (federation/prove.ts). */
  link: { userId: string; subject: string; email: string | null } | null;
}

export type NewUpstreamFlow = Omit<UpstreamFlow, 'createdAt' | 'usedAt' | 'link' | 'expiresAt'>;

/** What spending a state found: the flow (now spent), one spent before, or nothing of this issuer's that is live. */
export type SpendOutcome = { status: 'spent'; flow: UpstreamFlow } | { status: 'replayed' | 'other_browser' | 'unknown' };

function toFlow(row: Selectable<UpstreamFlowTable>): UpstreamFlow {
  return {
    stateHash: row.state_hash,
    providerId: row.provider_id,
    interactionId: row.interaction_id,
    browserHash: row.browser_hash,
    sealedCodeVerifier: row.code_verifier,
    nonce: row.nonce,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
    link: row.link_user_id !== null && row.link_subject !== null ? { userId: row.link_user_id, subject: row.link_subject, email: row.link_email } : null,
  };
}

/** An issuer's upstream sign-ins in flight; a state is spent exactly once, in one statement. */
export class UpstreamFlowRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create(input: NewUpstreamFlow, ttl: number): Promise<void> {
    const now = this.clock();
    // Expired flows of the issuer go as new ones come (indexed by expiry): nothing else reads them.
    await this.db.deleteFrom('upstream_flows').where('issuer_id', '=', this.issuer).where('expires_at', '<', now).execute();
    await this.db
      .insertInto('upstream_flows')
      .values({
        issuer_id: this.issuer,
        state_hash: input.stateHash,
        provider_id: input.providerId,
        interaction_id: input.interactionId,
        browser_hash: input.browserHash,
        code_verifier: input.sealedCodeVerifier,
        nonce: input.nonce,
        created_at: now,
        expires_at: now + ttl,
        used_at: null,
        link_user_id: null,
        link_subject: null,
        link_email: null,
      })
      .execute();
  }

  /**
   * Marks the flow of this state spent and returns it, once, in one statement: only for the
   * browser whose cookie hashes to `browserHash` and at the callback of `providerId`. Anything
   * else spends nothing (a state shown to another browser does not end the real one's sign-in)
   * and says why: spent before, another browser's, or nothing live.
   */
  async spend(stateHash: string, browserHash: string | undefined, providerId: string): Promise<SpendOutcome> {
    const now = this.clock();
    const row =
      browserHash === undefined
        ? undefined
        : await this.db
            .updateTable('upstream_flows')
            .set({ used_at: now })
            .where('issuer_id', '=', this.issuer)
            .where('state_hash', '=', stateHash)
            .where('browser_hash', '=', browserHash)
            .where('provider_id', '=', providerId)
            .where('used_at', 'is', null)
            .where('expires_at', '>=', now)
            .returningAll()
            .executeTakeFirst();
    if (row) return { status: 'spent', flow: toFlow(row) };
    const found = await this.db
      .selectFrom('upstream_flows')
      .select(['used_at', 'browser_hash', 'provider_id', 'expires_at'])
      .where('issuer_id', '=', this.issuer)
      .where('state_hash', '=', stateHash)
      .executeTakeFirst();
    if (!found || Number(found.expires_at) < now || found.provider_id !== providerId) return { status: 'unknown' };
    if (found.used_at !== null) return { status: 'replayed' };
    return { status: 'other_browser' };
  }

  /** Keeps the spent flow as the interaction's pending link to `userId`, until the account proves itself. */
  async holdLink(stateHash: string, link: { userId: string; subject: string; email: string | null }): Promise<void> {
    await this.db
      .updateTable('upstream_flows')
      .set({ link_user_id: link.userId, link_subject: link.subject, link_email: link.email })
      .where('issuer_id', '=', this.issuer)
      .where('state_hash', '=', stateHash)
      .execute();
  }

  /** Whether a sign-in upstream was started for the interaction (an idp_hint is followed once). */
  async startedFor(interactionId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('upstream_flows')
      .select('state_hash')
      .where('issuer_id', '=', this.issuer)
      .where('interaction_id', '=', interactionId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The pending link of an interaction, if one is waiting and live. */
  async pendingLink(interactionId: string): Promise<UpstreamFlow | undefined> {
    const row = await this.db
      .selectFrom('upstream_flows')
      .selectAll()
      .where('issuer_id', '=', this.issuer)
      .where('interaction_id', '=', interactionId)
      .where('link_user_id', 'is not', null)
      .where('expires_at', '>=', this.clock())
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row && toFlow(row);
  }

  /** Takes the interaction's pending link for `userId`, once: the row is gone after. */
  async takeLink(interactionId: string, userId: string): Promise<UpstreamFlow | undefined> {
    const row = await this.db
      .deleteFrom('upstream_flows')
      .where('issuer_id', '=', this.issuer)
      .where('interaction_id', '=', interactionId)
      .where('link_user_id', '=', userId)
      .where('expires_at', '>=', this.clock())
      .returningAll()
      .executeTakeFirst();
    return row && toFlow(row);
  }
}

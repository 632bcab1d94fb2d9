import { type Kysely, sql } from 'kysely';
import type { MfaPolicy } from '../../issuers/settings.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** A user's authenticator app as stored: the secret still sealed (factors/totp-factor.ts opens it). */
export interface StoredTotp {
  secretSealed: string;
  lastStep: number | null;
  confirmed: boolean;
  createdAt: number;
}

/**
 * Authenticator apps (RFC 6238), one per user. The secret is stored only sealed; `last_step`
 * makes every code single use: a step is accepted only by the update that moves it forward,
 * so two posts of one code (or of an earlier one) cannot both succeed, on any instance.
 */
export class TotpFactorRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async find(userId: string): Promise<StoredTotp | undefined> {
    const row = await this.db
      .selectFrom('totp_factors')
      .select(['secret_sealed', 'last_step', 'confirmed_at', 'created_at'])
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      secretSealed: row.secret_sealed,
      lastStep: row.last_step === null ? null : Number(row.last_step),
      confirmed: row.confirmed_at !== null,
      createdAt: Number(row.created_at),
    };
  }

  /** Whether the user has a confirmed authenticator app. */
  async hasConfirmed(userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('totp_factors')
      .select('user_id')
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is not', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Starts (or restarts) an enrolment: an unconfirmed secret replaces an unconfirmed one. A
   * confirmed app is never replaced here: false, and nothing changes (remove it first).
   */
  async startEnrolment(userId: string, secretSealed: string): Promise<boolean> {
    const now = this.clock();
    await this.db.deleteFrom('totp_factors').where('issuer_id', '=', this.issuer).where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
    const inserted = await this.db
      .insertInto('totp_factors')
      .values({ issuer_id: this.issuer, user_id: userId, secret_sealed: secretSealed, last_step: null, confirmed_at: null, created_at: now })
      .onConflict((oc) => oc.columns(['issuer_id', 'user_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /**
   * Accepts time step `step` if it is later than every step accepted before (atomically: one
   * conditional update). `confirm` also confirms a pending enrolment; without it only a
   * confirmed app accepts. False when the step was used already, or there is no such app.
   */
  async acceptStep(userId: string, step: number, confirm: boolean): Promise<boolean> {
    let update = this.db
      .updateTable('totp_factors')
      .set(confirm ? { last_step: step, confirmed_at: this.clock() } : { last_step: step })
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]));
    update = confirm ? update.where('confirmed_at', 'is', null) : update.where('confirmed_at', 'is not', null);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Removes the user's app (confirmed or pending); false when there was none. */
  async remove(userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('totp_factors').where('issuer_id', '=', this.issuer).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

/**
 * Recovery codes: ten per user, single use, stored as SHA-256 (they are random and long, so a
 * plain hash cannot be reversed by guessing). A new set replaces the old one whole.
 */
export class RecoveryCodeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly issuer: string,
  ) {}

  /** Replaces the user's codes with these hashes. */
  async replace(userId: string, hashes: readonly string[]): Promise<void> {
    const now = this.clock();
    await this.db.deleteFrom('recovery_codes').where('issuer_id', '=', this.issuer).where('user_id', '=', userId).execute();
    if (hashes.length === 0) return;
    await this.db
      .insertInto('recovery_codes')
      .values(hashes.map((code_hash) => ({ issuer_id: this.issuer, user_id: userId, code_hash, used_at: null, created_at: now })))
      .execute();
  }

  /** Uses the code with this hash once: true only for the one update that marks it used. */
  async consume(userId: string, hash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('recovery_codes')
      .set({ used_at: this.clock() })
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** How many unused codes the user has left. */
  async remaining(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('recovery_codes')
      .select(sql<number>`count(*)`.as('n'))
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async removeAll(userId: string): Promise<void> {
    await this.db.deleteFrom('recovery_codes').where('issuer_id', '=', this.issuer).where('user_id', '=', userId).execute();
  }
}

const STRICTNESS: Record<MfaPolicy, number> = { off: 0, optional: 1, required: 2 };

function asPolicy(value: string | undefined | null): MfaPolicy {
  return value === 'optional' || value === 'required' ? value : 'off';
}

/** The second-factor policies of an issuer's organizations (organizations.mfa) and clients (clients.require_mfa). */
export class MfaPolicyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly issuer: string,
  ) {}

  /** The strictest policy of the organizations the user is a member of (suspended ones too: membership is what counts). */
  async strictestForMember(userId: string): Promise<MfaPolicy> {
    const rows = await this.db
      .selectFrom('organization_members as m')
      .innerJoin('organizations as o', (join) => join.onRef('o.issuer_id', '=', 'm.issuer_id').onRef('o.id', '=', 'm.organization_id'))
      .select('o.mfa')
      .distinct()
      .where('m.issuer_id', '=', this.issuer)
      .where('m.user_id', '=', userId)
      .where('o.mfa', '!=', 'off')
      .execute();
    let strictest: MfaPolicy = 'off';
    for (const row of rows) {
      const policy = asPolicy(row.mfa);
      if (STRICTNESS[policy] > STRICTNESS[strictest]) strictest = policy;
    }
    return strictest;
  }

  async organizationPolicy(organizationId: string): Promise<MfaPolicy | undefined> {
    const row = await this.db
      .selectFrom('organizations')
      .select('mfa')
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', organizationId)
      .executeTakeFirst();
    return row ? asPolicy(row.mfa) : undefined;
  }

  /** Sets an organization's policy; false when there is no such organization. Bumps its revision (the Admin API's ETag). */
  async setOrganizationPolicy(organizationId: string, policy: MfaPolicy): Promise<boolean> {
    const result = await this.db
      .updateTable('organizations')
      .set((eb) => ({ mfa: policy, revision: eb('revision', '+', 1) }))
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', organizationId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { NewEvent } from '../../events/catalog.js';
import { randomId, randomToken } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, PasskeyTable } from '../schema.js';
import { atomically, recordEvent } from './events.js';

/** A passkey as the rest of the server sees it. */
export interface Passkey {
  id: string;
  userId: string;
  /** base64url, as WebAuthn responses name it. */
  credentialId: string;
  /** The COSE public key. */
  publicKey: Uint8Array;
  signCount: number;
  transports: string[];
  aaguid: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type NewPasskey = Omit<Passkey, 'id' | 'createdAt' | 'lastUsedAt'>;

/** What a challenge is for; each is bound to its own kind of thing (see PasskeyChallengeTable). */
export type ChallengePurpose = 'register' | 'login' | 'mfa';

/** A challenge that was live and is now spent. */
export interface SpentChallenge {
  challenge: string;
  userId: string | null;
}

const COLUMNS = [
  'id',
  'user_id',
  'credential_id',
  'public_key',
  'sign_count',
  'transports',
  'aaguid',
  'device_type',
  'backed_up',
  'name',
  'created_at',
  'last_used_at',
] as const;

function toPasskey(row: Pick<Selectable<PasskeyTable>, (typeof COLUMNS)[number]>): Passkey {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64url')),
    signCount: Number(row.sign_count),
    transports: row.transports ? row.transports.split(' ') : [],
    aaguid: row.aaguid,
    deviceType: row.device_type === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    backedUp: Number(row.backed_up) === 1,
    name: row.name,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

/**
 * Passkeys and their one-time challenges, of one issuer. A credential is found by its id only
 * within the issuer: an assertion made with another issuer's passkey finds nothing here, even
 * when both issuers share a host (and so an RP ID).
 */
export class PasskeyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Stores a verified credential and records `passkey.added` in the same transaction. */
  async create(input: NewPasskey, event?: Omit<NewEvent<'passkey.added'>, 'type' | 'payload'>): Promise<Passkey> {
    const now = this.clock();
    const row: Selectable<PasskeyTable> = {
      issuer_id: this.issuer,
      id: randomId(),
      user_id: input.userId,
      credential_id: input.credentialId,
      public_key: Buffer.from(input.publicKey).toString('base64url'),
      sign_count: input.signCount,
      transports: input.transports.join(' '),
      aaguid: input.aaguid,
      device_type: input.deviceType,
      backed_up: input.backedUp ? 1 : 0,
      name: input.name,
      created_at: now,
      last_used_at: null,
    };
    await atomically(this.db, async (trx) => {
      await trx.insertInto('passkeys').values(row).execute();
      await recordEvent(trx, this.issuer, now, {
        ...event,
        type: 'passkey.added',
        userId: input.userId,
        payload: { passkey_id: row.id, aaguid: row.aaguid, device_type: input.deviceType },
      });
    });
    return toPasskey(row);
  }

  async listForUser(userId: string): Promise<Passkey[]> {
    const rows = await this.db
      .selectFrom('passkeys')
      .select(COLUMNS)
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toPasskey);
  }

  async countForUser(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('passkeys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | undefined> {
    const row = await this.db
      .selectFrom('passkeys')
      .select(COLUMNS)
      .where('issuer_id', '=', this.issuer)
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    return row ? toPasskey(row) : undefined;
  }

  /**
   * Records a verified use: the authenticator's new counter and backup state. The counter only
   * moves forward (the guard makes two concurrent uses of one counter value count once).
   */
  async recordUse(id: string, signCount: number, backedUp: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('passkeys')
      .set({ sign_count: signCount, backed_up: backedUp ? 1 : 0, last_used_at: this.clock() })
      .where('issuer_id', '=', this.issuer)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('sign_count', '<', signCount), eb('sign_count', '=', 0)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async rename(userId: string, id: string, name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('passkeys')
      .set({ name })
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Removes one of the user's passkeys and records `passkey.removed`; false when there is no such passkey. */
  async remove(userId: string, id: string, event?: Omit<NewEvent<'passkey.removed'>, 'type' | 'payload'>): Promise<boolean> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const removed = await trx
        .deleteFrom('passkeys')
        .where('issuer_id', '=', this.issuer)
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (removed.numDeletedRows === 0n) return false;
      await recordEvent(trx, this.issuer, now, { ...event, type: 'passkey.removed', userId, payload: { passkey_id: id } });
      return true;
    });
  }

  /**
   * A new challenge (32 random bytes, base64url) for `purpose`, bound to `binding`, good for
   * `ttl` seconds. It replaces any earlier one of the same binding, so each interaction or
   * session holds at most one per purpose, however often its page is loaded.
   */
  async issueChallenge(purpose: ChallengePurpose, binding: string, userId: string | null, ttl: number): Promise<string> {
    const challenge = randomToken(32);
    await atomically(this.db, async (trx) => {
      await trx.deleteFrom('passkey_challenges').where('issuer_id', '=', this.issuer).where('purpose', '=', purpose).where('binding', '=', binding).execute();
      await trx
        .insertInto('passkey_challenges')
        .values({ issuer_id: this.issuer, challenge, purpose, binding, user_id: userId, expires_at: this.clock() + ttl })
        .execute();
    });
    return challenge;
  }

  /** Records a self-checking challenge (passkeys/login-challenge.ts) as spent; false when it was already. */
  async spendChallenge(purpose: ChallengePurpose, binding: string, challenge: string, expiresAt: number): Promise<boolean> {
    const row = await this.db
      .insertInto('passkey_challenges')
      .values({ issuer_id: this.issuer, challenge, purpose: `${purpose}:spent`, binding, user_id: null, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['issuer_id', 'challenge']).doNothing())
      .returning('challenge')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Spends a live challenge of this purpose and binding: the DELETE decides, so of two uses of
   * one challenge (a replayed assertion, a double submit) exactly one gets it.
   */
  async consumeChallenge(purpose: ChallengePurpose, binding: string, challenge: string): Promise<SpentChallenge | undefined> {
    if (challenge.length === 0 || challenge.length > 64) return undefined;
    const row = await this.db
      .deleteFrom('passkey_challenges')
      .where('issuer_id', '=', this.issuer)
      .where('challenge', '=', challenge)
      .where('purpose', '=', purpose)
      .where('binding', '=', binding)
      .where('expires_at', '>', this.clock())
      .returning(['challenge', 'user_id'])
      .executeTakeFirst();
    return row ? { challenge: row.challenge, userId: row.user_id } : undefined;
  }
}

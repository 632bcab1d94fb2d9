import type { Kysely, Selectable, Updateable } from 'kysely';
import { randomId } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, UserTable } from '../schema.js';
import { USER_COLUMNS } from '../columns.js';
import { firstRow, prepared } from '../prepared.js';
import { containsText } from '../like.js';
import { atomically, recordEvent } from './events.js';

const FIND_USER = prepared((db, id: string, issuer: string) =>
  db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).where('issuer_id', '=', issuer),
);
const FIND_USER_BY_EMAIL = prepared((db, email: string, issuer: string) =>
  db.selectFrom('users').select(USER_COLUMNS).where('issuer_id', '=', issuer).where('email', '=', email),
);

export interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  passwordHash: string | null;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  preferredUsername: string | null;
  picture: string | null;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every change the Admin API can see: its ETag. */
  revision: number;
}

/** What an update may change (services/users.ts checks it first); null clears a profile field. */
export interface UserChanges {
  email?: string;
  emailVerified?: boolean;
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  preferredUsername?: string | null;
  picture?: string | null;
}

export interface NewUser {
  email: string;
  emailVerified?: boolean;
  passwordHash: string | null;
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  preferredUsername?: string | null;
  picture?: string | null;
}

export class DuplicateEmailError extends Error {
  constructor() {
    super('a user with this email already exists');
    this.name = 'DuplicateEmailError';
  }
}

/** Emails are compared case-insensitively; they are stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toUser(row: Selectable<UserTable>): User {
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.email_verified === 1,
    passwordHash: row.password_hash,
    name: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredUsername: row.preferred_username,
    picture: row.picture,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: Number(row.revision ?? 1),
  };
}

export class UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create(input: NewUser): Promise<User> {
    const now = this.clock();
    const email = normalizeEmail(input.email);
    if (await this.findByEmail(email)) throw new DuplicateEmailError();
    const id = randomId();
    try {
      await atomically(this.db, async (trx) => {
        await trx
          .insertInto('users')
          .values({
            id,
            email,
            email_verified: input.emailVerified ? 1 : 0,
            password_hash: input.passwordHash,
            name: input.name ?? null,
            given_name: input.givenName ?? null,
            family_name: input.familyName ?? null,
            preferred_username: input.preferredUsername ?? null,
            picture: input.picture ?? null,
            disabled: 0,
            created_at: now,
            updated_at: now,
            issuer_id: this.issuer,
          })
          .execute();
        await recordEvent(trx, this.issuer, now, { type: 'user.created', userId: id, payload: {} });
      });
    } catch (error) {
      // Two concurrent creations of one email: the unique index decides.
      if (await this.findByEmail(email)) throw new DuplicateEmailError();
      throw error;
    }
    const user = await this.findById(id);
    if (!user) throw new Error('user vanished after insert');
    return user;
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await firstRow(this.db, FIND_USER(this.db, id, this.issuer));
    return row ? toUser(row) : undefined;
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await firstRow(this.db, FIND_USER_BY_EMAIL(this.db, normalizeEmail(email), this.issuer));
    return row ? toUser(row) : undefined;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').select(USER_COLUMNS).where('issuer_id', '=', this.issuer).orderBy('created_at').orderBy('email').execute();
    return rows.map(toUser);
  }

  /** How many users the issuer has (disabled ones too). */
  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('issuer_id', '=', this.issuer)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Replaces the stored argon2id hash; the caller ends the user's sessions in the same transaction. */
  async setPasswordHash(id: string, passwordHash: string, sessionsEnded = true): Promise<boolean> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const result = await trx
        .updateTable('users')
        .set((eb) => ({ password_hash: passwordHash, updated_at: now, revision: eb('revision', '+', 1) }))
        .where('id', '=', id)
        .where('issuer_id', '=', this.issuer)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await recordEvent(trx, this.issuer, now, { type: 'user.password_changed', userId: id, payload: { sessions_ended: sessionsEnded } });
      return true;
    });
  }

  /**
   * Replaces a hash only while it is still `current`: a rehash at sign-in never overwrites a
   * password set in the meantime.
   */
  async replacePasswordHash(id: string, current: string, passwordHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', id)
      .where('issuer_id', '=', this.issuer)
      .where('password_hash', '=', current)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setDisabled(id: string, disabled: boolean): Promise<boolean> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const result = await trx
        .updateTable('users')
        .set((eb) => ({ disabled: disabled ? 1 : 0, updated_at: now, revision: eb('revision', '+', 1) }))
        .where('id', '=', id)
        .where('issuer_id', '=', this.issuer)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await recordEvent(trx, this.issuer, now, { type: disabled ? 'user.disabled' : 'user.enabled', userId: id, payload: {} });
      return true;
    });
  }

  /**
   * One page of the issuer's users in creation order, after `after` (created_at, id); `q` keeps
   * those whose email or name contains it (any case), `clientId` those with a live grant to that
   * client. Reads limit + 1 rows: the caller learns from the extra one whether there is more.
   */
  async page(options: { after?: readonly [number, string]; limit: number; q?: string; clientId?: string }): Promise<User[]> {
    let query = this.db.selectFrom('users').select(USER_COLUMNS).where('issuer_id', '=', this.issuer);
    const after = options.after;
    if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
    const q = options.q;
    if (q) query = query.where((eb) => eb.or([containsText('email', q), containsText('name', q)]));
    const clientId = options.clientId;
    if (clientId !== undefined) {
      const now = this.clock();
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('grants')
            .select('grants.id')
            .whereRef('grants.user_id', '=', 'users.id')
            .where('grants.issuer_id', '=', this.issuer)
            .where('grants.client_id', '=', clientId)
            .where('grants.revoked_at', 'is', null)
            .where('grants.expires_at', '>', now),
        ),
      );
    }
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    return rows.map(toUser);
  }

  /**
   * Changes what `changes` names and records `user.updated` with the fields; false when there is
   * no such user or (with `revision`) it changed since that revision. An email another user has
   * is a DuplicateEmailError.
   */
  async update(id: string, changes: UserChanges, revision?: number): Promise<boolean> {
    const now = this.clock();
    const set: Updateable<UserTable> = { updated_at: now };
    if (changes.email !== undefined) set.email = normalizeEmail(changes.email);
    if (changes.emailVerified !== undefined) set.email_verified = changes.emailVerified ? 1 : 0;
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.givenName !== undefined) set.given_name = changes.givenName;
    if (changes.familyName !== undefined) set.family_name = changes.familyName;
    if (changes.preferredUsername !== undefined) set.preferred_username = changes.preferredUsername;
    if (changes.picture !== undefined) set.picture = changes.picture;
    const changed = Object.keys(changes).filter((k) => changes[k as keyof UserChanges] !== undefined);
    let emailMoves = false;
    if (set.email !== undefined) {
      const holder = await this.findByEmail(set.email);
      if (holder && holder.id !== id) throw new DuplicateEmailError();
      emailMoves = holder === undefined;
    }
    try {
      return await atomically(this.db, async (trx) => {
        let update = trx
          .updateTable('users')
          .set(set)
          .set((eb) => ({ revision: eb('revision', '+', 1) }))
          .where('id', '=', id)
          .where('issuer_id', '=', this.issuer);
        if (revision !== undefined) update = update.where('revision', '=', revision);
        const result = await update.executeTakeFirst();
        if (result.numUpdatedRows === 0n) return false;
        // A reset or invitation link was mailed to the old address: it is bound to that address
        // and dies with it, so a link in a mailbox the user has left cannot take the account.
        if (emailMoves) {
          await trx
            .updateTable('password_resets')
            .set({ used_at: now })
            .where('user_id', '=', id)
            .where('issuer_id', '=', this.issuer)
            .where('used_at', 'is', null)
            .execute();
        }
        await recordEvent(trx, this.issuer, now, { type: 'user.updated', userId: id, payload: { changed } });
        return true;
      });
    } catch (error) {
      // Two concurrent changes to one email: the unique index decides.
      if (set.email !== undefined && (await this.findByEmail(set.email))?.id !== id) throw new DuplicateEmailError();
      throw error;
    }
  }

  /**
   * Deletes the user; their sessions, grants (with their tokens), consents, memberships and
   * roles go with them (foreign keys cascade), so every app loses access at once. Their events
   * stay: the audit log outlives them. With `revision`, only that revision is deleted.
   */
  async delete(id: string, revision?: number): Promise<boolean> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      let query = trx.deleteFrom('users').where('id', '=', id).where('issuer_id', '=', this.issuer);
      if (revision !== undefined) query = query.where('revision', '=', revision);
      const result = await query.executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      // Attributes (claims/) name their user without a foreign key: they go with the user.
      await trx.deleteFrom('claim_attributes').where('issuer_id', '=', this.issuer).where('subject_kind', '=', 'user').where('subject_id', '=', id).execute();
      await recordEvent(trx, this.issuer, now, { type: 'user.deleted', userId: id, payload: {} });
      return true;
    });
  }

  /**
   * Anonymises a closed account (account/close.ts): the row stays, so the audit log's user id
   * still names someone, but the address, name and picture are gone, the password with them,
   * and it is disabled, so it can never sign in. The address becomes one under .invalid (RFC
   * 2606) that no one can own, which frees the real one to sign up again. Everything else kept
   * on the person goes in the same transaction (ANONYMISED_ROWS): consents, second factors,
   * recovery codes, passkeys, wallets, pending verifications, codes and links, the addresses
   * they signed in from.
   */
  async anonymise(id: string): Promise<boolean> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const result = await trx
        .updateTable('users')
        .set((eb) => ({
          email: `closed-${id}@closed.invalid`,
          email_verified: 0,
          password_hash: null,
          name: null,
          given_name: null,
          family_name: null,
          preferred_username: null,
          picture: null,
          disabled: 1,
          updated_at: now,
          revision: eb('revision', '+', 1),
        }))
        .where('id', '=', id)
        .where('issuer_id', '=', this.issuer)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      for (const table of ANONYMISED_ROWS) await trx.deleteFrom(table).where('issuer_id', '=', this.issuer).where('user_id', '=', id).execute();
      // A closed account's attributes (KYC status and the like, claims/) are personal data too.
      await trx.deleteFrom('claim_attributes').where('issuer_id', '=', this.issuer).where('subject_kind', '=', 'user').where('subject_id', '=', id).execute();
      return true;
    });
  }
}

/**
 * The tables whose rows about a user an anonymised account does not keep (every one has
 * issuer_id and user_id). Its sessions and grants are ended before (account/close.ts), its
 * events and its closure's reason stay: they are the record. A "remember this device" cookie
 * has no row: it names the user only, and skips a second factor after a first one that an
 * anonymised account, disabled and without a password or factor, can never pass.
 */
export const ANONYMISED_ROWS = [
  'consents',
  'totp_factors',
  'recovery_codes',
  'passkeys',
  'passkey_challenges',
  'wallets',
  'wallet_challenges',
  'email_verifications',
  'email_codes',
  'password_resets',
  'known_login_addresses',
] as const satisfies readonly (keyof Database)[];

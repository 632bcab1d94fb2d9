import type { Kysely, Selectable } from 'kysely';
import { randomToken, sha256 } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, SessionTable } from '../schema.js';
import { SESSION_COLUMNS } from '../columns.js';
import type { EventPayloads, NewEvent } from '../../events/catalog.js';
import { firstRow, prepared, preparedInsert } from '../prepared.js';
import { atomically, recordEvent } from './events.js';
import { queueBackchannelLogouts } from './backchannel-fan-out.js';
import { type Authentication, PASSWORD, readAmr, storedAmr } from '../../signin/assurance.js';

type SessionEndReason = EventPayloads['session.ended']['reason'];

const INSERT_SESSION = preparedInsert('sessions', SESSION_COLUMNS);
const FIND_LIVE_SESSION = prepared((db, id: string, now: number, issuer: string) =>
  db
    .selectFrom('sessions')
    .select(SESSION_COLUMNS)
    .where('id', '=', id)
    .where('issuer_id', '=', issuer)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now),
);
const END_SESSION = prepared((db, id: string, now: number, issuer: string) =>
  db.updateTable('sessions').set({ ended_at: now }).where('id', '=', id).where('issuer_id', '=', issuer),
);

export interface Session {
  id: string;
  sid: string;
  userId: string;
  authTime: number;
  /** How the user signed in (RFC 8176), and the level that makes (signin/assurance.ts). */
  amr: string[];
  acr: string;
  createdAt: number;
  expiresAt: number;
  /** The User-Agent and address the session was started from (null for sessions from before migration 029). */
  userAgent: string | null;
  ip: string | null;
  /** When it was last used, to within LAST_SEEN_STEP; null: not since it started. */
  lastSeenAt: number | null;
}

/** Where a session is started from, as the sessions page shows it; nothing decides on it. */
export interface SessionDevice {
  userAgent: string | null;
  ip: string | null;
}

const NO_DEVICE: SessionDevice = { userAgent: null, ip: null };

/**
 * How stale a session's last_seen_at may get: a session in use is written at most once in this
 * many seconds, so the sessions page is right to a few minutes and a busy session costs no
 * write per request.
 */
export const LAST_SEEN_STEP = 5 * 60;

// Prepared: its parameters are placeholders, so the step's threshold is one of them (no arithmetic here).
const TOUCH_SESSION = prepared((db, id: string, now: number, issuer: string, staleBefore: number) =>
  db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where('issuer_id', '=', issuer)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<=', staleBefore)])),
);

function toSession(row: Selectable<SessionTable>): Session {
  return {
    id: row.id,
    sid: row.sid,
    userId: row.user_id,
    authTime: row.auth_time,
    amr: readAmr(row.amr) ?? [...PASSWORD.amr],
    acr: row.acr,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    userAgent: row.user_agent,
    ip: row.ip,
    lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
  };
}

/** A session about to be stored: its row, what callers see, and the cookie's secret. */
export interface NewSession {
  row: Selectable<SessionTable>;
  session: Session;
  cookieValue: string;
}

/** A new session signed in now: the cookie holds a random secret, the database only its hash. */
/** `session.started`, as every new session records it (login-commit.ts writes it in the login's own statement). */
export function sessionStartedEvent(session: { user_id: string; sid: string; ip?: string | null }): NewEvent<'session.started'> {
  // The address is the sign-in's: the account's activity page lists it with the sign-in.
  const address = session.ip ? { address: session.ip } : {};
  return { type: 'session.started', actor: `user:${session.user_id}`, userId: session.user_id, payload: { sid: session.sid }, ...address };
}

export function newSession(
  issuer: string,
  userId: string,
  ttl: number,
  now: number,
  auth: Authentication = PASSWORD,
  device: SessionDevice = NO_DEVICE,
): NewSession {
  const cookieValue = randomToken(32);
  const row = {
    id: sha256(cookieValue),
    sid: randomToken(16),
    user_id: userId,
    auth_time: now,
    amr: storedAmr(auth.amr),
    acr: auth.acr,
    created_at: now,
    expires_at: now + ttl,
    ended_at: null,
    issuer_id: issuer,
    user_agent: device.userAgent,
    ip: device.ip,
    last_seen_at: null,
  };
  return { row, session: toSession(row), cookieValue };
}

/** Browser sessions: the cookie holds a random secret, the database only its hash. */
export class SessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  async create(userId: string, ttl: number, auth: Authentication = PASSWORD, device: SessionDevice = NO_DEVICE): Promise<NewSession> {
    const now = this.clock();
    const planned = newSession(this.issuer, userId, ttl, now, auth, device);
    await atomically(this.db, async (trx) => {
      await trx.executeQuery(INSERT_SESSION(trx, planned.row));
      await recordEvent(trx, this.issuer, now, sessionStartedEvent(planned.row));
    });
    return planned;
  }

  /**
   * A new session for a login, ending the live one behind the browser's previous cookie, if
   * any: every login gets a fresh session, so a session id planted before sign-in is worth nothing.
   */
  async replace(
    previousCookie: string | undefined,
    userId: string,
    ttl: number,
    auth: Authentication = PASSWORD,
    device: SessionDevice = NO_DEVICE,
  ): Promise<NewSession> {
    if (previousCookie) {
      const old = await this.findByCookie(previousCookie);
      if (old) await this.end(old.id);
    }
    return this.create(userId, ttl, auth, device);
  }

  /**
   * Notes that the session was used now, unless that was noted less than LAST_SEEN_STEP ago:
   * the caller checks `lastSeenAt` first, so a session in use costs one write per step, and the
   * WHERE clause keeps two instances from writing the same step twice.
   */
  async touch(session: Pick<Session, 'id' | 'createdAt' | 'lastSeenAt'>): Promise<void> {
    const now = this.clock();
    if (now - (session.lastSeenAt ?? session.createdAt) < LAST_SEEN_STEP) return;
    await this.db.executeQuery(TOUCH_SESSION(this.db, session.id, now, this.issuer, now - LAST_SEEN_STEP));
  }

  /**
   * Records that the session's user proved more (a second factor, interactions/mfa.ts): its
   * `amr` and `acr` become `auth`'s. `auth_time` stays the first factor's, as max_age counts
   * from it. False when the session is no longer live.
   */
  async elevate(id: string, auth: Authentication): Promise<boolean> {
    const result = await this.db
      .updateTable('sessions')
      .set({ amr: storedAmr(auth.amr), acr: auth.acr })
      .where('id', '=', id)
      .where('issuer_id', '=', this.issuer)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The live session behind a cookie value, if any. */
  async findByCookie(cookieValue: string): Promise<Session | undefined> {
    const row = await firstRow(this.db, FIND_LIVE_SESSION(this.db, sha256(cookieValue), this.clock(), this.issuer));
    return row ? toSession(row) : undefined;
  }

  /** A live session by its stored id (the hash of its cookie). */
  async findById(id: string): Promise<Session | undefined> {
    const row = await firstRow(this.db, FIND_LIVE_SESSION(this.db, id, this.clock(), this.issuer));
    return row ? toSession(row) : undefined;
  }

  async findBySid(sid: string): Promise<Session | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .select(SESSION_COLUMNS)
      .where('sid', '=', sid)
      .where('issuer_id', '=', this.issuer)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  /**
   * Ends a session and records `session.ended` with why; returns its sid, or undefined when it
   * was not live. The grants signed in through it end with it: services/sessions.ts does both
   * in one transaction, and each client the session signed in to that takes back-channel logout
   * is queued its logout token in it too (backchannel-fan-out.ts). A login replacing the browser's session (no reason) ends only the
   * session: the user is still signed in there, and the apps keep what they were given.
   */
  async end(id: string, reason?: SessionEndReason): Promise<string | undefined> {
    if (reason === undefined) {
      await this.db.executeQuery(END_SESSION(this.db, id, this.clock(), this.issuer));
      return undefined;
    }
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      const ended = await trx
        .updateTable('sessions')
        .set({ ended_at: now })
        .where('id', '=', id)
        .where('issuer_id', '=', this.issuer)
        .where('ended_at', 'is', null)
        .returning(['user_id', 'sid'])
        .executeTakeFirst();
      if (!ended) return undefined;
      const event = await recordEvent(trx, this.issuer, now, { type: 'session.ended', userId: ended.user_id, payload: { reason } });
      await queueBackchannelLogouts(trx, this.issuer, event, [ended.sid], now);
      return ended.sid;
    });
  }

  /** Ends every live session of the user, but `keepId` if given (the one changing the password); returns their sids. */
  async endAllForUser(userId: string, reason: SessionEndReason, keepId?: string): Promise<string[]> {
    const now = this.clock();
    return atomically(this.db, async (trx) => {
      let update = trx
        .updateTable('sessions')
        .set({ ended_at: now })
        .where('user_id', '=', userId)
        .where('issuer_id', '=', this.issuer)
        .where('ended_at', 'is', null);
      if (keepId !== undefined) update = update.where('id', '!=', keepId);
      const ended = await update.returning('sid').execute();
      const sids = ended.map((row) => row.sid);
      if (sids.length > 0) {
        const event = await recordEvent(trx, this.issuer, now, { type: 'session.ended', userId, payload: { reason } });
        await queueBackchannelLogouts(trx, this.issuer, event, sids, now);
      }
      return sids;
    });
  }

  /** The user's live sessions, newest first (the Admin API's and the console's list). */
  async listForUser(userId: string): Promise<Session[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(SESSION_COLUMNS)
      .where('user_id', '=', userId)
      .where('issuer_id', '=', this.issuer)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', this.clock())
      .orderBy('created_at', 'desc')
      .orderBy('sid')
      .execute();
    return rows.map(toSession);
  }

  /** Live sessions whose lifetime is over, of every issuer (maintenance), a batch at a time. */
  static async expired(db: Kysely<Database>, now: number, batch = 500): Promise<{ id: string; issuerId: string }[]> {
    const rows = await db
      .selectFrom('sessions')
      .select(['id', 'issuer_id'])
      .where('ended_at', 'is', null)
      .where('expires_at', '<=', now)
      .limit(batch)
      .execute();
    return rows.map((row) => ({ id: row.id, issuerId: row.issuer_id }));
  }
}

import type { Kysely } from 'kysely';
import { randomToken } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';

/** A mail an instance has taken to send. */
export interface ClaimedMail {
  id: string;
  /** The issuer the mail is sent for (its name, sender and links). */
  issuerId: string;
  kind: string;
  recipient: string;
  /** The language to write it in: the page's it was asked from. */
  locale: string;
  createdAt: number;
  /** Including this one. */
  attempts: number;
}

/** Candidates read per claim; others may take some of them first. */
const CANDIDATES = 8;

/**
 * Mail still to send, written before the request that asked for it is answered. Any instance
 * may send a row: it first takes a lease on it with a guarded UPDATE, so of instances racing
 * for one row exactly one gets it, and a row whose sender died is taken again once its lease
 * runs out. A row goes when its mail is accepted or given up.
 */
export class MailOutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** A mail for `issuer`'s user (the outbox's repository enqueues for every issuer). */
  async enqueue(kind: string, recipient: string, issuer: string = this.issuer, locale = 'en'): Promise<void> {
    const now = this.clock();
    await this.db
      .insertInto('mail_outbox')
      .values({ id: randomToken(16), kind, recipient, created_at: now, not_before: now, lease_until: 0, attempts: 0, issuer_id: issuer, locale })
      .execute();
  }

  /** Mail not yet sent, of every issuer, by issuer (the outbox's backlog, for metrics). */
  async backlog(): Promise<{ issuer: string; count: number }[]> {
    const rows = await this.db.selectFrom('mail_outbox').select(['issuer_id', (eb) => eb.fn.countAll<number | string>().as('count')]).groupBy('issuer_id').execute();
    return rows.map((row) => ({ issuer: row.issuer_id, count: Number(row.count) }));
  }

  /**
   * Takes the longest-waiting due row of `kinds` for `leaseSeconds`, of any issuer (the outbox
   * is the process's, each mail says whose it is); undefined when none is due.
   */
  async claim(kinds: readonly string[], leaseSeconds: number): Promise<ClaimedMail | undefined> {
    if (kinds.length === 0) return undefined;
    const now = this.clock();
    const due = await this.db
      .selectFrom('mail_outbox')
      .select(['id', 'issuer_id', 'kind', 'recipient', 'locale', 'created_at', 'lease_until', 'attempts'])
      .where('kind', 'in', kinds)
      .where('not_before', '<=', now)
      .where('lease_until', '<=', now)
      .orderBy('not_before')
      .limit(CANDIDATES)
      .execute();
    for (const row of due) {
      const taken = await this.db
        .updateTable('mail_outbox')
        .set({ lease_until: now + leaseSeconds, attempts: row.attempts + 1 })
        .where('id', '=', row.id)
        .where('lease_until', '=', row.lease_until)
        .where('attempts', '=', row.attempts)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) {
        return { id: row.id, issuerId: row.issuer_id, kind: row.kind, recipient: row.recipient, locale: row.locale, createdAt: Number(row.created_at), attempts: row.attempts + 1 };
      }
    }
    return undefined;
  }

  /** The mail was accepted, or given up: the row goes. */
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('mail_outbox').where('id', '=', id).execute();
  }

  /** The mail is to be tried again, by any instance, from `notBefore`. */
  async retryAt(id: string, notBefore: number): Promise<void> {
    await this.db.updateTable('mail_outbox').set({ not_before: notBefore, lease_until: 0 }).where('id', '=', id).execute();
  }
}

import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../schema.js';
import { recordForDelivery } from './event-deliveries.js';

/** The consumer the event table delivers mail to (mail/outbox.ts sends it). */
const MAIL = 'mail';

/**
 * Mail still to send, written before the request that asked for it is answered: a
 * `mail.requested` event with a delivery for the mail consumer, in one transaction
 * (event-deliveries.ts delivers it, by any instance, at least once).
 */
export class MailOutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /**
   * A mail for `issuer`'s user (the process's repository enqueues for every issuer). `data` is
   * what the template needs beyond the recipient; it is stored in the event's payload, so it
   * must hold nothing secret (a reset link's token is minted when the mail is sent, not here).
   */
  async enqueue(template: string, recipient: string, issuer: string = this.issuer, locale = 'en', data: Record<string, string> = {}): Promise<void> {
    await recordForDelivery(this.db, issuer, this.clock(), { type: 'mail.requested', payload: { template, recipient, locale, data } }, [MAIL]);
  }
}

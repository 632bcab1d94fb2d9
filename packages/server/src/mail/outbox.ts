import type { BackgroundTasks } from '../background.js';
import { type Consumer, type DeliveryFailure, DeliveryLoop, type DeliveryTiming } from '../events/delivery.js';
import { type Logger, describeError } from '../log.js';
import type { Clock } from '../store/clock.js';
import type { ClaimedDelivery, EventDeliveryRepository } from '../store/repos/event-deliveries.js';
import type { MailOutboxRepository } from '../store/repos/mail-outbox.js';
import { toMailSendError } from './send-error.js';

/** How one kind of mail (a `mail.requested` event's template) is sent. */
export interface MailKind {
  /**
   * Sends the mail for `recipient`, in `locale` (the page's it was asked from), built from
   * `data`; rejects when the SMTP server did not accept it.
   */
  send(recipient: string, issuerId: string, locale: string, data: Record<string, string>): Promise<void>;
  /** Prefix of the log events `<event>_deferred` and `<event>_failed`. */
  event: string;
}

export type OutboxTiming = DeliveryTiming;

export const OUTBOX_TIMING: OutboxTiming = {
  // A send is bounded by the SMTP timeouts (mailer.ts: 10 s to connect, 30 s of silence).
  leaseSeconds: 120,
  // The link itself lasts 30 minutes from the send, so a mail this late is still of use.
  giveUpSeconds: 15 * 60,
  firstRetrySeconds: 15,
  maxRetrySeconds: 300,
  pollMs: 15_000,
};

/** The consumer name of mail in event_deliveries. */
export const MAIL_CONSUMER = 'mail';

/**
 * Sends the mail requests have promised. The request records a `mail.requested` event with a
 * delivery for `mail` and is answered; this sends it right after, and again later when the
 * SMTP server deferred it or could not be reached, until it is accepted, refused for good, or
 * too old (then it stays as a dead letter). Rows survive a crash and any instance sends them
 * (events/delivery.ts), so a promised mail goes out unless the SMTP server keeps failing.
 */
export class MailOutbox {
  readonly #loop: DeliveryLoop;

  constructor(
    private readonly requests: MailOutboxRepository,
    deliveries: EventDeliveryRepository,
    clock: Clock,
    logger: Logger,
    background: BackgroundTasks,
    private readonly kinds: Record<string, MailKind>,
    timing: OutboxTiming = OUTBOX_TIMING,
  ) {
    this.#loop = new DeliveryLoop(deliveries, clock, background, mailConsumer(kinds, logger), timing);
  }

  /** Stores the mail (it is durable once this resolves) and starts sending it. */
  async enqueue(kind: string, recipient: string, issuerId: string, locale: string, data: Record<string, string> = {}): Promise<void> {
    if (!this.kinds[kind]) throw new Error(`no mail kind ${kind}`);
    await this.requests.enqueue(kind, recipient, issuerId, locale, data);
    this.kick();
  }

  /** Sends whatever is due, in the background. */
  kick(): void {
    this.#loop.kick();
  }

  /** Sends what earlier runs left (a crash, a deferral), then keeps looking every pollMs. */
  start(): void {
    this.#loop.start();
  }

  /** No new send starts; one under way finishes (BackgroundTasks.settled waits for it). */
  stop(): void {
    this.#loop.stop();
  }
}

function mailConsumer(kinds: Record<string, MailKind>, logger: Logger): Consumer {
  const kindOf = (delivery: ClaimedDelivery): MailKind | undefined =>
    delivery.type === 'mail.requested' ? kinds[(delivery.payload as { template: string }).template] : undefined;
  return {
    name: MAIL_CONSUMER,
    async deliver(delivery) {
      const kind = kindOf(delivery);
      // Only a newer version sends it: left for that version, as a dead letter saying why.
      if (!kind) throw new UnknownMailError(delivery.type === 'mail.requested' ? (delivery.payload as { template: string }).template : delivery.type);
      const mail = delivery.payload as { recipient: string; locale: string; data?: Record<string, string> };
      await kind.send(mail.recipient, delivery.issuerId, mail.locale, mail.data ?? {});
    },
    failure(error): DeliveryFailure {
      if (error instanceof UnknownMailError) return { permanent: true, message: error.message };
      const failure = toMailSendError(error);
      return { permanent: failure.permanent, message: describeError(failure).error };
    },
    failed(delivery, failure, retryIn) {
      const event = kindOf(delivery)?.event ?? 'mail';
      if (retryIn === undefined) logger.log('warn', `${event}_failed`, { attempts: delivery.attempts, error: failure.message });
      else logger.log('warn', `${event}_deferred`, { attempts: delivery.attempts, retry_in_seconds: retryIn, error: failure.message });
    },
  };
}

class UnknownMailError extends Error {
  constructor(template: string) {
    super(`no mail kind ${template}`);
    this.name = 'UnknownMailError';
  }
}

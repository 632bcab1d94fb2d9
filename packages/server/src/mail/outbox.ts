import type { BackgroundTasks } from '../background.js';
import { type Logger, describeError } from '../log.js';
import type { Clock } from '../store/clock.js';
import type { ClaimedMail, MailOutboxRepository } from '../store/repos/mail-outbox.js';
import { toMailSendError } from './send-error.js';

/** How one kind of mail is sent. */
export interface MailKind {
  /** Sends the mail for `recipient`, in `locale` (the page's it was asked from); rejects when the SMTP server did not accept it. */
  send(recipient: string, issuerId: string, locale: string): Promise<void>;
  /** Prefix of the log events `<event>_deferred` and `<event>_failed`. */
  event: string;
}

export interface OutboxTiming {
  /** How long an instance owns a row it is sending; longer than a send can take. */
  leaseSeconds: number;
  /** A mail not accepted this long after it was asked for is given up. */
  giveUpSeconds: number;
  /** The first retry waits this long; each next one twice as long, up to maxRetrySeconds. */
  firstRetrySeconds: number;
  maxRetrySeconds: number;
  /** How often an instance looks for mail that is due again or that a dead instance held. */
  pollMs: number;
}

export const OUTBOX_TIMING: OutboxTiming = {
  // A send is bounded by the SMTP timeouts (mailer.ts: 10 s to connect, 30 s of silence).
  leaseSeconds: 120,
  // The link itself lasts 30 minutes from the send, so a mail this late is still of use.
  giveUpSeconds: 15 * 60,
  firstRetrySeconds: 15,
  maxRetrySeconds: 300,
  pollMs: 15_000,
};

/**
 * Sends the mail requests have promised. The request writes a row and is answered; this sends
 * it right after, and again later when the SMTP server deferred it or could not be reached,
 * until it is accepted, refused for good, or too old. Rows survive a crash and any instance
 * sends them, so a promised mail goes out unless the SMTP server keeps failing.
 */
export class MailOutbox {
  #draining = false;
  #again = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: MailOutboxRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly background: BackgroundTasks,
    private readonly kinds: Record<string, MailKind>,
    private readonly timing: OutboxTiming = OUTBOX_TIMING,
  ) {}

  /** Stores the mail (it is durable once this resolves) and starts sending it. */
  async enqueue(kind: string, recipient: string, issuerId: string, locale: string): Promise<void> {
    if (!this.kinds[kind]) throw new Error(`no mail kind ${kind}`);
    await this.repo.enqueue(kind, recipient, issuerId, locale);
    this.kick();
  }

  /** Sends whatever is due, in the background; a drain already running picks the new rows up. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    this.background.run('mail_outbox_failed', async () => {
      try {
        do {
          this.#again = false;
          await this.#drain();
        } while (this.#again && !this.#stopped);
      } finally {
        this.#draining = false;
      }
    });
  }

  /** Sends what earlier runs left (a crash, a deferral), then keeps looking every pollMs. */
  start(): void {
    if (this.#stopped || this.#timer) return;
    this.kick();
    this.#timer = setInterval(() => this.kick(), this.timing.pollMs);
    this.#timer.unref();
  }

  /** No new send starts; one under way finishes (BackgroundTasks.settled waits for it). */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  async #drain(): Promise<void> {
    const kinds = Object.keys(this.kinds);
    while (!this.#stopped) {
      const mail = await this.repo.claim(kinds, this.timing.leaseSeconds);
      if (!mail) return;
      await this.#send(mail);
    }
  }

  async #send(mail: ClaimedMail): Promise<void> {
    const kind = this.kinds[mail.kind];
    if (!kind) return;
    try {
      await kind.send(mail.recipient, mail.issuerId, mail.locale);
    } catch (error) {
      await this.#failed(mail, kind, error);
      return;
    }
    await this.repo.remove(mail.id);
  }

  async #failed(mail: ClaimedMail, kind: MailKind, error: unknown): Promise<void> {
    const failure = toMailSendError(error);
    const { firstRetrySeconds, maxRetrySeconds, giveUpSeconds } = this.timing;
    const retryIn = Math.min(firstRetrySeconds * 2 ** (mail.attempts - 1), maxRetrySeconds);
    const retryAt = this.clock() + retryIn;
    if (failure.permanent || retryAt > mail.createdAt + giveUpSeconds) {
      await this.repo.remove(mail.id);
      this.logger.log('warn', `${kind.event}_failed`, { attempts: mail.attempts, ...describeError(failure) });
      return;
    }
    await this.repo.retryAt(mail.id, retryAt);
    this.logger.log('warn', `${kind.event}_deferred`, { attempts: mail.attempts, retry_in_seconds: retryIn, ...describeError(failure) });
  }
}

import type { BackgroundTasks } from '../background.js';
import type { Clock } from '../store/clock.js';
import type { ClaimedDelivery, EventDeliveryRepository } from '../store/repos/event-deliveries.js';

/** How a consumer's deliveries are paced. */
export interface DeliveryTiming {
  /** How long an instance owns a delivery it is making; longer than one attempt can take. */
  leaseSeconds: number;
  /** A delivery not made this long after it was queued (its event, or a replay) is given up (a dead letter). */
  giveUpSeconds: number;
  /** The first retry waits this long; each next one twice as long, up to maxRetrySeconds. */
  firstRetrySeconds: number;
  maxRetrySeconds: number;
  /** How often an instance looks for deliveries that are due again or that a dead instance held. */
  pollMs: number;
}

/** Why an attempt failed, as the consumer judges it. */
export interface DeliveryFailure {
  /** True when trying again cannot help (a refused recipient, an endpoint that is gone). */
  permanent: boolean;
  /** Kept with the row and logged: the consumer's own words, with nothing secret in them. */
  message: string;
}

/** What acts on one kind of delivery: mail now, webhooks next. */
export interface Consumer {
  /** The `consumer` of its rows in event_deliveries. */
  readonly name: string;
  /** Its rows are named `<name>:<key>`, one per recipient (webhooks: per endpoint), each retried on its own. */
  readonly family?: boolean;
  /** Acts on the event; resolves when done (or when there is nothing to do), rejects to retry. */
  deliver(delivery: ClaimedDelivery): Promise<void>;
  /** Judges a rejection of `deliver`. */
  failure(error: unknown): DeliveryFailure;
  /** Told after a failed attempt: `retryIn` seconds until the next one, or undefined when given up. */
  failed(delivery: ClaimedDelivery, failure: DeliveryFailure, retryIn: number | undefined): void;
}

/**
 * Delivers one consumer's events from the event table, on every instance at once: claim with a
 * lease, act, then remove the row; a failure backs off (doubling) or, when permanent or too
 * late, becomes a dead letter. Rows survive a crash and any instance takes them, so an event
 * that was committed is delivered at least once unless its consumer keeps failing.
 */
export class DeliveryLoop {
  #draining = false;
  #again = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: EventDeliveryRepository,
    private readonly clock: Clock,
    private readonly background: BackgroundTasks,
    private readonly consumer: Consumer,
    private readonly timing: DeliveryTiming,
  ) {}

  /** Delivers whatever is due, in the background; a drain already running picks new rows up. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    this.background.run(`${this.consumer.name}_delivery_failed`, async () => {
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

  /** Delivers what earlier runs left (a crash, a deferral), then keeps looking every pollMs. */
  start(): void {
    if (this.#stopped || this.#timer) return;
    this.kick();
    this.#timer = setInterval(() => this.kick(), this.timing.pollMs);
    this.#timer.unref();
  }

  /** No new attempt starts; one under way finishes (BackgroundTasks.settled waits for it). */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  async #drain(): Promise<void> {
    while (!this.#stopped) {
      const delivery = await this.repo.claim(this.consumer.name, this.timing.leaseSeconds, this.consumer.family);
      if (!delivery) return;
      await this.#attempt(delivery);
    }
  }

  async #attempt(delivery: ClaimedDelivery): Promise<void> {
    try {
      await this.consumer.deliver(delivery);
    } catch (error) {
      await this.#failed(delivery, this.consumer.failure(error));
      return;
    }
    await this.repo.delivered(delivery.eventId, delivery.consumer);
  }

  async #failed(delivery: ClaimedDelivery, failure: DeliveryFailure): Promise<void> {
    const { firstRetrySeconds, maxRetrySeconds, giveUpSeconds } = this.timing;
    const retryIn = Math.min(firstRetrySeconds * 2 ** (delivery.attempts - 1), maxRetrySeconds);
    const retryAt = this.clock() + retryIn;
    if (failure.permanent || retryAt > delivery.queuedAt + giveUpSeconds) {
      await this.repo.deadLetter(delivery.eventId, delivery.consumer, failure.message);
      this.consumer.failed(delivery, failure, undefined);
      return;
    }
    await this.repo.retryAt(delivery.eventId, delivery.consumer, retryAt, failure.message);
    this.consumer.failed(delivery, failure, retryIn);
  }
}

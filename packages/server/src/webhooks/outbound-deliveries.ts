import type { Consumer, DeliveryFailure, DeliveryTiming } from '../events/delivery.js';
import { DeliveryLoop } from '../events/delivery.js';
import { describeError } from '../log.js';
import type { Services } from '../services.js';
import { EventDeliveryRepository } from '../store/repos/event-deliveries.js';
import { WebhookSendError } from './outbound.js';

/**
 * What webhooks (webhooks/dispatcher.ts) and back-channel logouts (logout/backchannel.ts) share:
 * a delivery loop over the event outbox that POSTs through webhooks/outbound.ts, kicked, woken,
 * started and stopped alike. Each says only what its consumer delivers.
 */
export abstract class OutboundDeliveries {
  readonly #loop: DeliveryLoop;
  #running = false;

  protected constructor(
    protected readonly services: Services,
    timing: DeliveryTiming,
  ) {
    // The consumer's callbacks run only once the loop delivers, after the subclass is built.
    this.#loop = new DeliveryLoop(new EventDeliveryRepository(services.store.db, services.clock), services.clock, services.background, this.consumer(), timing);
  }

  /** The consumer the loop hands this one's due rows to. */
  protected abstract consumer(): Consumer;

  /** Delivers whatever is due, in the background. */
  kick(): void {
    this.#loop.kick();
  }

  /**
   * Kicks when this process delivers (the server): a one-off command that queued something
   * (a replay from the CLI) leaves it to the servers, which poll every pollMs.
   */
  wake(): void {
    if (this.#running) this.#loop.kick();
  }

  /** Delivers what earlier runs left, then keeps looking every pollMs (events are recorded everywhere). */
  start(): void {
    this.#running = true;
    this.#loop.start();
  }

  stop(): void {
    this.#loop.stop();
  }
}

/** A failed POST: permanent when outbound.ts says so (a refused address, a 4xx), else retried. */
export function outboundFailure(error: unknown): DeliveryFailure {
  if (error instanceof WebhookSendError) return { permanent: error.permanent, message: error.message };
  return { permanent: false, message: describeError(error).error };
}

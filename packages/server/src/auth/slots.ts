/**
 * At most `size` tasks at once; the rest wait their turn in order. Used so that password
 * hashing never occupies more threads than there are cores.
 */
export class Slots {
  readonly #size: number;
  #busy = 0;
  readonly #queue: (() => void)[] = [];

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#size) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#busy++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so #busy never drops and rises in between.
      const next = this.#queue.shift();
      if (next) next();
      else this.#busy--;
    }
  }
}

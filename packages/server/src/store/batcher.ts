interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent calls into batches, without waiting to fill one: a call runs at once
 * while fewer than `inFlight` batches are under way, and calls that arrive while they all are
 * wait together for the next free one. An idle server therefore answers as fast as before; a
 * busy one pays a statement, a round trip and a commit per batch instead of per call.
 *
 * `run` must be all or nothing (one statement, or one transaction): a batch of several that
 * fails is run again one call at a time, so that input only one caller sent fails that caller
 * alone.
 */
export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private running = 0;

  constructor(
    /** Runs one batch; returns one result per item, in the items' order. */
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly inFlight: number,
    private readonly maxBatch: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running < this.inFlight) this.next();
    });
  }

  private next(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.running++;
    this.settle(batch)
      .then((retry) => Promise.all(retry.map((b) => this.settle([b]))))
      .finally(() => {
        this.running--;
        this.next();
      });
  }

  /** Runs `batch` and settles its calls; a failed batch of several is returned, to be retried one by one. */
  private async settle(batch: Waiting<I, O>[]): Promise<Waiting<I, O>[]> {
    try {
      const values = await this.attempt(batch.map((b) => b.item));
      for (const [i, b] of batch.entries()) b.resolve(values[i] as O);
      return [];
    } catch (error) {
      if (batch.length > 1) return batch;
      batch[0]?.reject(error);
      return [];
    }
  }

  /** `run`, with a synchronous throw turned into a rejection. */
  private async attempt(items: I[]): Promise<O[]> {
    return this.run(items);
  }
}

import { type Logger, describeError } from './log.js';

/**
 * Work a request starts but does not wait for (sending mail, so the answer takes as long
 * whether or not there was anything to send). A failure is logged, never lost; shutdown waits
 * for what is still running before it closes the database under it.
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Starts `task`; if it fails, logs `event` at warn with the error's name and message. */
  run(event: string, task: () => Promise<void>): void {
    const running: Promise<void> = Promise.resolve()
      .then(task)
      .catch((error: unknown) => this.logger.log('warn', event, describeError(error)))
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  /** Resolves once nothing is running, including tasks started meanwhile. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}

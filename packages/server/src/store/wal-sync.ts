import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes SQLite commits durable without blocking the event loop. The database runs WAL with
 * synchronous=NORMAL, so a commit writes its frames to the WAL but does not wait for the disk;
 * `barrier()` then fsyncs the WAL on the thread pool, and callers wait for it before they answer.
 * That is the fsync synchronous=FULL would do inside every commit (on the main thread), except
 * that one fsync covers every commit made before it started: concurrent requests share it.
 */
export class WalSync {
  readonly #walPath: string;
  #fd: number | undefined;
  /** Callers waiting for the next fsync; they all committed before it starts. */
  #waiting: { resolve(): void; reject(error: unknown): void }[] = [];
  #busy = false;
  /** Test seam: what one sync does (fsync the WAL by default). */
  readonly #sync: (fd: number) => Promise<void>;

  constructor(databaseFile: string, sync?: (fd: number) => Promise<void>) {
    this.#walPath = `${databaseFile}-wal`;
    this.#sync = sync ?? ((fd) => new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve()))));
  }

  /** Resolves once everything committed before this call is on stable storage. */
  barrier(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#busy) void this.#drain();
    });
  }

  /** One fsync at a time; each covers every caller that was waiting when it started. */
  async #drain(): Promise<void> {
    this.#busy = true;
    while (this.#waiting.length > 0) {
      const round = this.#waiting;
      this.#waiting = [];
      try {
        await this.#sync(this.#openWal());
        for (const w of round) w.resolve();
      } catch (error) {
        for (const w of round) w.reject(error);
      }
    }
    this.#busy = false;
  }

  /**
   * The WAL's descriptor, opened at the first sync (a write has created the file by then). SQLite
   * deletes the WAL only when its last connection closes, and this process holds one until it
   * closes this too, so the descriptor stays the WAL's for as long as it is used.
   */
  #openWal(): number {
    if (this.#fd !== undefined) return this.#fd;
    this.#fd = fs.openSync(this.#walPath, 'r');
    // A new WAL file's directory entry must be on disk too, or the file could vanish with it.
    const dir = fs.openSync(path.dirname(this.#walPath), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    return this.#fd;
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}

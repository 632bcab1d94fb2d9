import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What a hashing thread is asked to do: hash a password, or verify one against a stored hash. */
export type HashJob =
  | { op: 'hash'; password: string; options: Readonly<Record<string, number>> }
  | { op: 'verify'; hash: string; password: string };

/** A job whose thread stopped before answering: the server's fault, never a wrong password. */
export class HashThreadStopped extends Error {
  constructor() {
    super('the password hashing thread stopped');
  }
}

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

// Runs in each thread: the synchronous argon2 calls, one job after another, straight from the
// thread's message queue. A job that argon2 refuses (a malformed stored hash) answers an error.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.argon2);
parentPort.on('message', (job) => {
  try {
    const result = job.op === 'verify' ? argon2.verifySync(job.hash, job.password) : argon2.hashSync(job.password, job.options);
    parentPort.postMessage({ id: job.id, result });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String((error && error.message) || error) });
  }
});
`;

class HashThread {
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;

  constructor(argon2: string, onExit: (thread: HashThread) => void) {
    // No inherited execArgv: the thread needs no loader, and profilers are the main thread's.
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { argon2 }, execArgv: [] });
    this.worker.on('message', (message: { id: number; result?: string | boolean; error?: string }) => {
      const job = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.error !== undefined) job?.reject(new Error(message.error));
      else job?.resolve(message.result as string | boolean);
    });
    // 'error' is followed by 'exit', which answers what was waiting.
    this.worker.on('error', () => undefined);
    this.worker.on('exit', () => {
      onExit(this);
      for (const job of this.pending.values()) job.reject(new HashThreadStopped());
      this.pending.clear();
    });
    // An idle thread never keeps the process alive (listeners first: adding one refs it again);
    // one with a job does, so a CLI command awaiting a hash is not ended under it.
    this.worker.unref();
  }

  post(id: number, job: HashJob, pending: Pending): void {
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(id, pending);
    this.worker.postMessage({ id, ...job });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * argon2 on threads of its own, `size` of them (one per core), each taking its next job from
 * its queue as soon as it finishes one. On libuv's pool a finished hash freed its thread only
 * once the event loop got round to starting the next, which under load left the cores idle
 * part of the time; and that pool is shared with file work (the SQLite WAL fsync) that waited
 * behind the hashes. Threads start with the first job, so a server that signs nobody in does not
 * pay for them, and one that stops is replaced by the next job.
 */
export class HashThreads {
  private threads: HashThread[] = [];
  private nextId = 0;
  private argon2: string | undefined;

  constructor(private readonly size: number) {}

  run(job: HashJob): Promise<string | boolean> {
    this.argon2 ??= createRequire(import.meta.url).resolve('@node-rs/argon2');
    while (this.threads.length < Math.max(1, this.size)) {
      this.threads.push(new HashThread(this.argon2, (gone) => (this.threads = this.threads.filter((t) => t !== gone))));
    }
    // The thread with the fewest jobs waiting, so a queue never forms behind one while another idles.
    let thread = this.threads[0] as HashThread;
    for (const candidate of this.threads) if (candidate.pending.size < thread.pending.size) thread = candidate;
    const id = this.nextId++;
    return new Promise((resolve, reject) => thread.post(id, job, { resolve, reject }));
  }

  /** Stops every thread; what they still had is rejected with HashThreadStopped. */
  async stop(): Promise<void> {
    const stopping = this.threads;
    this.threads = [];
    await Promise.all(stopping.map((t) => t.stop()));
  }
}

import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * One thread per core as Node sees them (os.availableParallelism follows CPU affinity, not a
 * container's CPU quota), at most four: each thread costs memory while it exists, and a host
 * whose cores a quota hides would otherwise start dozens under a flood of sign-ins.
 */
export function defaultHashThreads(): number {
  return Math.min(os.availableParallelism(), 4);
}

/** What a hashing thread is asked to do: hash a password, or verify one against a stored hash. */
export type HashJob = { op: 'hash'; password: string; options: Readonly<Record<string, number>> } | { op: 'verify'; hash: string; password: string };

/** A job whose thread stopped before answering: the server's fault, never a wrong password. */
export class HashThreadStopped extends Error {
  constructor(cause?: unknown) {
    super(`the password hashing thread stopped${cause instanceof Error ? `: ${cause.message}` : ''}`, { cause });
  }
}

/**
 * Arms the timer that stops a thread once it has been idle for `ms`, and answers what cancels
 * it. A real (unref'd) timer unless a test passes one it fires itself, so no test waits for a
 * background timer to win a race against a loaded machine.
 */
export type IdleTimer = (stop: () => void, ms: number) => () => void;

/** The timer a pool uses unless told otherwise: one that never keeps the process alive. */
export const realIdleTimer: IdleTimer = (stop, ms) => {
  const timer = setTimeout(stop, ms).unref();
  return () => clearTimeout(timer);
};

/** What a pool may be told besides its size. */
export interface HashThreadsOptions {
  /** How long a thread may have no job before it stops; a minute unless a test says otherwise. */
  idleMs?: number;
  /** The argon2 module's URL; @node-rs/argon2 as this module resolves it unless a test says otherwise. */
  argon2?: string;
  /** realIdleTimer unless a test fires the idle stops itself. */
  idleTimer?: IdleTimer;
}

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

// Runs in each thread: the synchronous argon2 calls, one job after another, straight from the
// thread's message queue. A job that argon2 refuses (a malformed stored hash) answers an error.
// Only dynamic import(), which eval'd code has whether Node reads it as CommonJS or as a module.
const THREAD_SOURCE = `
import('node:worker_threads').then(async ({ parentPort, workerData }) => {
  const loaded = await import(workerData.argon2);
  const argon2 = loaded.verifySync ? loaded : loaded.default;
  parentPort.on('message', (job) => {
    try {
      const result = job.op === 'verify' ? argon2.verifySync(job.hash, job.password) : argon2.hashSync(job.password, job.options);
      parentPort.postMessage({ id: job.id, result });
    } catch (error) {
      parentPort.postMessage({ id: job.id, error: String((error && error.message) || error) });
    }
  });
});
`;

class HashThread {
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;
  private cancelIdle: (() => void) | undefined;

  constructor(argon2: string, idle: { ms: number; timer: IdleTimer }, callbacks: { exited(thread: HashThread): void; idle(thread: HashThread): void }) {
    // No inherited execArgv: the thread needs no loader, and profilers are the main thread's.
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { argon2 }, execArgv: [] });
    this.worker.on('message', (message: { id: number; result?: string | boolean; error?: string }) => {
      const job = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) {
        this.worker.unref();
        this.cancelIdle = idle.timer(() => callbacks.idle(this), idle.ms);
      }
      if (message.error !== undefined) job?.reject(new Error(message.error));
      else job?.resolve(message.result as string | boolean);
    });
    // 'error' (the thread failed to load argon2, say) is followed by 'exit', which answers what
    // was waiting with it, for the request's error log.
    let failure: unknown;
    this.worker.on('error', (error) => (failure = error));
    this.worker.on('exit', () => {
      this.cancelIdle?.();
      callbacks.exited(this);
      for (const job of this.pending.values()) job.reject(new HashThreadStopped(failure));
      this.pending.clear();
    });
    // An idle thread never keeps the process alive (listeners first: adding one refs it again);
    // one with a job does, so a CLI command awaiting a hash is not ended under it.
    this.worker.unref();
  }

  post(id: number, job: HashJob, pending: Pending): void {
    this.cancelIdle?.();
    this.cancelIdle = undefined;
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(id, pending);
    this.worker.postMessage({ id, ...job });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * argon2 on threads of its own, up to `size` of them (defaultHashThreads), each taking its next job
 * from its queue as soon as it finishes one. On libuv's pool a finished hash freed its thread
 * only once the event loop got round to starting the next, which under load left the cores
 * idle part of the time; and that pool is shared with file work (the SQLite WAL fsync) that
 * waited behind the hashes.
 *
 * A thread costs ~12 MB while it exists, so they follow the load: one more starts only when
 * every thread has work, and one that has had none for `idleMs` stops (taken out of the list
 * first, so no job is ever sent to a stopping thread). One that stops for any other reason is
 * replaced by the next job.
 */
export class HashThreads {
  private threads: HashThread[] = [];
  private nextId = 0;
  private argon2: string | undefined;
  private readonly idle: { ms: number; timer: IdleTimer };

  constructor(
    private size: number,
    options: HashThreadsOptions = {},
  ) {
    this.argon2 = options.argon2;
    this.idle = { ms: options.idleMs ?? 60_000, timer: options.idleTimer ?? realIdleTimer };
  }

  run(job: HashJob): Promise<string | boolean> {
    // The thread with the fewest jobs waiting, so a queue never forms behind one while another idles.
    let thread = this.threads[0];
    for (const candidate of this.threads) if (candidate.pending.size < (thread?.pending.size ?? 0)) thread = candidate;
    if (!thread || (thread.pending.size > 0 && this.threads.length < Math.max(1, this.size))) thread = this.start();
    const id = this.nextId++;
    const chosen = thread;
    return new Promise((resolve, reject) => chosen.post(id, job, { resolve, reject }));
  }

  /** Changes the most threads there may be; ones beyond it stop when they have been idle. */
  resize(size: number): void {
    this.size = size;
  }

  /** Hashes sent to a thread and not yet answered, the one running on each thread included (metrics). */
  get queued(): number {
    let jobs = 0;
    for (const thread of this.threads) jobs += thread.pending.size;
    return jobs;
  }

  /** How many threads exist now (for tests and diagnostics). */
  get count(): number {
    return this.threads.length;
  }

  /** Stops every thread; what they still had is rejected with HashThreadStopped. */
  async stop(): Promise<void> {
    const stopping = this.threads;
    this.threads = [];
    await Promise.all(stopping.map((t) => t.stop()));
  }

  private start(): HashThread {
    this.argon2 ??= pathToFileURL(createRequire(import.meta.url).resolve('@node-rs/argon2')).href;
    const forget = (gone: HashThread): void => {
      this.threads = this.threads.filter((t) => t !== gone);
    };
    const thread = new HashThread(this.argon2, this.idle, {
      exited: forget,
      idle: (idle) => {
        forget(idle);
        void idle.stop();
      },
    });
    this.threads.push(thread);
    return thread;
  }
}

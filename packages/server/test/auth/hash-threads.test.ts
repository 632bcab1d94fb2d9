import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ARGON2_OPTIONS, hashPassword, hashThreadCount, verifyPassword } from '../../src/auth/password.js';
import { createTestContext } from '../helpers/harness.js';
import { HashThreadStopped, HashThreads, type IdleTimer, realIdleTimer } from '../../src/auth/hash-threads.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverRoot = path.resolve(here, '..', '..');

/** Idle timers the test fires itself: a thread stops when the test says, never when a loaded machine's timer happens to. */
function manualIdleTimers(): { timer: IdleTimer; armed(): number[]; fireAll(): void } {
  const armed = new Set<{ stop: () => void; ms: number }>();
  return {
    timer: (stop, ms) => {
      const entry = { stop, ms };
      armed.add(entry);
      return () => armed.delete(entry);
    },
    armed: () => [...armed].map((entry) => entry.ms),
    fireAll: () => {
      const firing = [...armed];
      armed.clear();
      for (const entry of firing) entry.stop();
    },
  };
}

describe('password hashing on threads of its own', () => {
  it('hashes with our argon2id parameters and verifies the right password only', async () => {
    const hash = await hashPassword('correct horse');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(hash, 'correct horse'), true);
    assert.equal(await verifyPassword(hash, 'correct horsE'), false);
    assert.equal(await verifyPassword(null, 'correct horse'), false, 'no account: still one verification, and false');
    assert.equal(await verifyPassword('$argon2id$not-a-hash', 'x'), false, 'a hash argon2 cannot read matches nothing');
  });

  it('answers many concurrent jobs, each with its own result, on a fixed number of threads', async () => {
    const threads = new HashThreads(2);
    try {
      const hashes = await Promise.all(['a', 'b', 'c'].map((password) => threads.run({ op: 'hash', password, options: ARGON2_OPTIONS })));
      const checks = await Promise.all(
        ['a', 'b', 'c', 'a', 'b', 'c'].map((password, i) => threads.run({ op: 'verify', hash: hashes[i % 3] as string, password })),
      );
      assert.deepEqual(checks, [true, true, true, true, true, true]);
      const crossed = await Promise.all(['b', 'c', 'a'].map((password, i) => threads.run({ op: 'verify', hash: hashes[i] as string, password })));
      assert.deepEqual(crossed, [false, false, false]);
    } finally {
      await threads.stop();
    }
  });

  it('rejects what a stopped thread still had with HashThreadStopped, and the next job starts a new thread', async () => {
    const threads = new HashThreads(1);
    const hash = (await threads.run({ op: 'hash', password: 'x', options: ARGON2_OPTIONS })) as string;
    const waiting = Array.from({ length: 3 }, () => threads.run({ op: 'verify', hash, password: 'x' }));
    await threads.stop();
    for (const job of waiting) await assert.rejects(job, HashThreadStopped);
    assert.equal(await threads.run({ op: 'verify', hash, password: 'x' }), true);
    await threads.stop();
  });

  it('rejects with the reason when a thread cannot start, and does not hang the jobs after it', async () => {
    const threads = new HashThreads(1, { argon2: 'file:///nonexistent/argon2.js' });
    try {
      for (let i = 0; i < 2; i++) {
        const job = threads.run({ op: 'verify', hash: '$argon2id$x', password: 'x' });
        await assert.rejects(
          job,
          (error: Error) => error instanceof HashThreadStopped && /Cannot find module|ERR_MODULE_NOT_FOUND|nonexistent/.test(error.message),
        );
      }
    } finally {
      await threads.stop();
    }
  });

  it('starts a thread only when every thread has work, up to its size, and stops one that idles', async () => {
    const idle = manualIdleTimers();
    const threads = new HashThreads(2, { idleTimer: idle.timer });
    try {
      const hash = (await threads.run({ op: 'hash', password: 'x', options: ARGON2_OPTIONS })) as string;
      assert.deepEqual(idle.armed(), [60_000], 'a thread with no job left stops after a minute');
      const busy = threads.run({ op: 'verify', hash, password: 'x' });
      assert.deepEqual(idle.armed(), [], 'a job keeps its thread from stopping');
      await busy;
      assert.equal(threads.count, 1, 'one job at a time needs one thread');
      await Promise.all(Array.from({ length: 5 }, () => threads.run({ op: 'verify', hash, password: 'x' })));
      assert.equal(threads.count, 2, 'never more than its size');
      assert.deepEqual(idle.armed(), [60_000, 60_000], 'both threads are idle now');
      idle.fireAll();
      assert.equal(threads.count, 0, 'idle threads have stopped');
      threads.resize(1);
      await Promise.all(Array.from({ length: 3 }, () => threads.run({ op: 'verify', hash, password: 'x' })));
      assert.equal(threads.count, 1, 'resized to one');
      assert.equal(await threads.run({ op: 'verify', hash, password: 'x' }), true, 'and the next job starts one again');
    } finally {
      await threads.stop();
    }
  });

  it('stops an idle thread on the real timer, the one a pool has by default', async () => {
    // No bound on how late the timer fires: the test waits for the stop, and the guard (which
    // also keeps the event loop alive, the thread and its timer being unref'd) only names a hang.
    let guard: NodeJS.Timeout | undefined;
    let fired!: () => void;
    const stopped = new Promise<void>((resolve, reject) => {
      fired = resolve;
      guard = setTimeout(() => reject(new Error('the idle thread never stopped')), 60_000);
    });
    const threads = new HashThreads(1, { idleMs: 1, idleTimer: (stop, ms) => realIdleTimer(() => (stop(), fired()), ms) });
    try {
      await threads.run({ op: 'hash', password: 'x', options: ARGON2_OPTIONS });
      await stopped;
      assert.equal(threads.count, 0);
    } finally {
      clearTimeout(guard);
      await threads.stop();
    }
  });

  it('starts no more hashing threads than GATEHOUSE_HASH_THREADS allows', async () => {
    const ctx = await createTestContext({ GATEHOUSE_HASH_THREADS: '1' });
    try {
      const hash = await hashPassword('x');
      await Promise.all(Array.from({ length: 4 }, () => verifyPassword(hash, 'x')));
      assert.equal(hashThreadCount(), 1);
    } finally {
      await ctx.close();
    }
  });

  it('lets a process that awaits a hash finish it, and exit afterwards while the threads idle', () => {
    // A CLI command: top-level await on a hash, then nothing left to do. An idle thread must not
    // hold the process open, and a busy one must not let it end before the answer.
    const script = `
      import { hashPassword, verifyPassword } from './src/auth/password.ts';
      const hash = await hashPassword('pw');
      console.log(await verifyPassword(hash, 'pw'));
    `;
    // A thread wrongly holding the process would keep it until the idle stop, a minute: the
    // kill comes well before that, and well after a loaded machine has started tsx and hashed.
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: serverRoot,
      encoding: 'utf8',
      timeout: 45_000,
    });
    assert.equal(result.signal, null, 'exited by itself, not killed');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'true');
  });
});

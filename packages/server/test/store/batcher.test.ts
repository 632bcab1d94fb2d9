import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from '../../src/store/batcher.js';

/** A run whose batches finish only when the test says so, recording what each batch held. */
function heldRun(): { run: (items: number[]) => Promise<number[]>; batches: number[][]; finish(i: number): void } {
  const batches: number[][] = [];
  const finishers: (() => void)[] = [];
  return {
    batches,
    run: (items) => {
      batches.push(items);
      return new Promise((resolve) => finishers.push(() => resolve(items.map((x) => x * 10))));
    },
    finish: (i) => finishers[i]?.(),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('runs a call at once while fewer than inFlight batches are under way', async () => {
    const held = heldRun();
    const batcher = new Batcher(held.run, 2, 64);
    const a = batcher.submit(1);
    const b = batcher.submit(2);
    assert.deepEqual(held.batches, [[1], [2]]);
    held.finish(0);
    held.finish(1);
    assert.deepEqual(await Promise.all([a, b]), [10, 20]);
  });

  it('gathers the calls that arrive while every slot is busy into the next batch, in order', async () => {
    const held = heldRun();
    const batcher = new Batcher(held.run, 1, 64);
    const first = batcher.submit(1);
    const waiting = [2, 3, 4].map((x) => batcher.submit(x));
    assert.deepEqual(held.batches, [[1]]);
    held.finish(0);
    await first;
    await tick();
    assert.deepEqual(held.batches, [[1], [2, 3, 4]]);
    held.finish(1);
    assert.deepEqual(await Promise.all(waiting), [20, 30, 40]);
  });

  it('takes at most maxBatch calls into one batch', async () => {
    const held = heldRun();
    const batcher = new Batcher(held.run, 1, 2);
    const all = [1, 2, 3, 4, 5].map((x) => batcher.submit(x));
    for (let i = 0; i < 3; i++) {
      held.finish(i);
      await tick();
      await tick();
    }
    assert.deepEqual(await Promise.all(all), [10, 20, 30, 40, 50]);
    assert.deepEqual(held.batches, [[1], [2, 3], [4, 5]]);
  });

  it('retries a failed batch one call at a time, so only the call that fails is rejected', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher(
      async (items: number[]) => {
        batches.push(items);
        if (items.length === 1 && items[0] === 1) await gate;
        if (items.includes(13)) throw new Error('bad input');
        return items.map((x) => x * 10);
      },
      1,
      64,
    );
    const first = batcher.submit(1);
    const rest = [2, 13, 4].map((x) =>
      batcher.submit(x).then(
        (v) => ({ v }),
        (e: Error) => ({ e: e.message }),
      ),
    );
    release();
    assert.equal(await first, 10);
    assert.deepEqual(await Promise.all(rest), [{ v: 20 }, { e: 'bad input' }, { v: 40 }]);
    assert.deepEqual(batches, [[1], [2, 13, 4], [2], [13], [4]]);
  });

  it('rejects a lone call that fails without running it again, and a synchronous throw as well', async () => {
    let runs = 0;
    const batcher = new Batcher(
      (): Promise<number[]> => {
        runs++;
        throw new Error('down');
      },
      2,
      64,
    );
    await assert.rejects(batcher.submit(1), /down/);
    assert.equal(runs, 1);
    // The slot is free again afterwards.
    await assert.rejects(batcher.submit(2), /down/);
    assert.equal(runs, 2);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Slots } from '../../src/auth/slots.js';

describe('Slots', () => {
  it('runs at most `size` tasks at once, in the order they came, and every task finishes', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        slots.run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return i * 10;
        }),
      ),
    );
    assert.equal(most, 2);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(results, [0, 10, 20, 30, 40, 50, 60]);
  });

  it('frees the slot when a task fails', async () => {
    const slots = new Slots(1);
    await assert.rejects(slots.run(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await slots.run(async () => 'next'), 'next');
  });

  it('treats a size below one as one', async () => {
    const slots = new Slots(0);
    assert.equal(await slots.run(async () => 1), 1);
  });
});

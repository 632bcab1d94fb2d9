import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combine } from '../lib/limits.js';

// The login bar's argon2id limit is sampled before every round and the samples summed: the
// rate is all operations over all the time they took, not an average of rates.
describe('combining rate samples', () => {
  it('divides the summed operations by the summed wall and CPU seconds', () => {
    const rate = combine([
      { n: 90, wallS: 1, cpuS: 1 },
      { n: 30, wallS: 1, cpuS: 0.5 },
    ]);
    assert.equal(rate.perSecond, 60);
    assert.equal(rate.perCpuSecond, 80);
  });

  it('of one sample is that sample', () => {
    assert.deepEqual(combine([{ n: 150, wallS: 1.5, cpuS: 1.6 }]), { perSecond: 100, perCpuSecond: 93.75 });
  });
});

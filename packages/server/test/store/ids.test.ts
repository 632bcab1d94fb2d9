import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomId, randomToken } from '../../src/tokens/random.js';

// Regression: a user id starting with "-" was read as an option by `gatehouse user disable <id>`.
describe('generated ids', () => {
  it('never start with "-" or "_", and carry 128 bits', () => {
    for (let i = 0; i < 5000; i++) {
      const id = randomId();
      assert.match(id, /^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
    }
  });

  it('hands out random tokens of the asked size, never the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      for (const bytes of [16, 32, 48]) {
        const token = randomToken(bytes);
        assert.equal(Buffer.from(token, 'base64url').length, bytes);
        assert.ok(!seen.has(token), 'a token came twice');
        seen.add(token);
      }
    }
    // Large requests bypass the pool and still come back whole.
    assert.equal(Buffer.from(randomToken(4096), 'base64url').length, 4096);
    // No 16-byte run repeats across tokens (a refill that reused its buffer would repeat them).
    const runs = new Set<string>();
    for (const token of seen) {
      const raw = Buffer.from(token, 'base64url');
      for (let at = 0; at + 16 <= raw.length; at += 16) {
        const run = raw.subarray(at, at + 16).toString('hex');
        assert.ok(!runs.has(run), 'random bytes were handed out twice');
        runs.add(run);
      }
    }
  });
});

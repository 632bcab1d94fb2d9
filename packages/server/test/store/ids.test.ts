import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomId } from '../../src/tokens/random.js';

// Regression: a user id starting with "-" was read as an option by `gatehouse user disable <id>`.
describe('generated ids', () => {
  it('never start with "-" or "_", and carry 128 bits', () => {
    for (let i = 0; i < 5000; i++) {
      const id = randomId();
      assert.match(id, /^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
    }
  });
});

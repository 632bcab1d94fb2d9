import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedCache } from '../../src/tokens/verified-cache.js';

describe('verified token cache', () => {
  it('forgets a token at its expiry, even though it was verified before', () => {
    const cache = new VerifiedCache<{ exp: number }>();
    cache.set('t', { exp: 100 });
    assert.deepEqual(cache.get('t', 99), { exp: 100 });
    assert.equal(cache.get('t', 100), undefined);
    assert.equal(cache.get('t', 50), undefined, 'and it is gone for good');
  });

  it('holds at most its bound, dropping the oldest first', () => {
    const cache = new VerifiedCache<{ exp: number }>(2);
    cache.set('a', { exp: 10 });
    cache.set('b', { exp: 10 });
    cache.set('c', { exp: 10 });
    assert.equal(cache.get('a', 0), undefined);
    assert.ok(cache.get('b', 0) && cache.get('c', 0));
  });
});

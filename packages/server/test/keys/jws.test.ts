import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { signCompact } from '../../src/tokens/jws.js';

const PAIRS = {
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  EdDSA: () => generateKeyPairSync('ed25519'),
} as const;

// Gatehouse signs with node:crypto for speed; jose, the reference, must accept every token.
describe('compact JWS signing', () => {
  for (const alg of ['ES256', 'RS256', 'EdDSA'] as const) {
    it(`${alg}: jose verifies the signature, header and claims`, async () => {
      const { privateKey, publicKey } = PAIRS[alg]();
      const now = Math.floor(Date.now() / 1000);
      const token = await signCompact(
        alg,
        { kid: 'k1', typ: 'at+jwt' },
        { iss: 'https://id.example', sub: 'ü-1', iat: now, exp: now + 60, name: 'Zoë' },
        privateKey,
      );
      const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
        issuer: 'https://id.example',
        algorithms: [alg],
        typ: 'at+jwt',
        currentDate: new Date(now * 1000),
      });
      assert.deepEqual(protectedHeader, { alg, kid: 'k1', typ: 'at+jwt' });
      assert.equal(payload.sub, 'ü-1');
      assert.equal(payload.name, 'Zoë');
      assert.equal(Object.keys(decodeProtectedHeader(token))[0], 'alg');
    });
  }

  it('a signature over other bytes does not verify', async () => {
    const { privateKey, publicKey } = PAIRS.ES256();
    const token = await signCompact('ES256', {}, { sub: 'a' }, privateKey);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'b' })).toString('base64url')}.${s}`;
    await assert.rejects(compactVerify(forged, publicKey));
  });
});

// RSA key pairs made in advance for test contexts. Making a 2048-bit RSA key costs ~150 ms of
// CPU, and every test context makes one for its issuer (and one per second issuer or rotation):
// several hundred keys, over a minute of the suite's CPU. Test keys need not be secret, only
// distinct within a context, so each context takes the premade ones in turn and generates afresh
// once it has used them all. ES256 and EdDSA keys are cheap and always generated.
// premade-rsa-keys.json is written by `npx tsx test/helpers/premade-keys.ts --write`.
import fs from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { type KeyPairMaker, generateSigningKeyPair } from '../../src/tokens/keys.js';

const FILE = new URL('./premade-rsa-keys.json', import.meta.url);
const COUNT = 32;

let premade: JWK[] | undefined;
const load = (): JWK[] => {
  premade ??= JSON.parse(fs.readFileSync(FILE, 'utf8')) as JWK[];
  return premade;
};

/** A key pair maker for one test context: the premade RSA keys in turn, then fresh ones. */
export function premadeKeyPairs(): KeyPairMaker {
  let next = 0;
  return async (alg) => {
    const keys = load();
    if (alg !== 'RS256' || next >= keys.length) return generateSigningKeyPair(alg);
    const jwk = keys[next++] as JWK;
    const pub: JWK = { kty: jwk.kty, n: jwk.n, e: jwk.e };
    return {
      privateKey: (await importJWK(jwk, 'RS256', { extractable: true })) as CryptoKey,
      publicKey: (await importJWK(pub, 'RS256', { extractable: true })) as CryptoKey,
    };
  };
}

if (process.argv.includes('--write')) {
  const keys: JWK[] = [];
  for (let i = 0; i < COUNT; i++) {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    keys.push(await exportJWK(privateKey));
  }
  fs.writeFileSync(FILE, `${JSON.stringify(keys)}\n`);
  console.log(`wrote ${COUNT} keys to ${FILE.pathname}`);
}

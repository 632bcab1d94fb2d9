import type { IssuerScope } from '../issuers/scope.js';
import { type KeyInfo, SIGNING_ALGS, type SigningAlg, keyTiming } from '../tokens/keys.js';
import { ServiceError, conflict, invalid, notFound } from './errors.js';

/**
 * The issuer's signing keys, for `gatehouse keys` and the Admin API alike: listing (public facts
 * only, never key material), rotation and retirement. The key store records the events.
 */

export interface Rotation {
  rotated: { alg: SigningAlg; kid: string; activatesAt: number }[];
  /** Seconds from a rotation until the new key signs (GATEHOUSE_KEY_PUBLISH_LEAD). */
  lead: number;
  /** Within how many seconds every running server has read its keys again. */
  reread: number;
}

export function validateSigningAlg(alg: string, label = 'alg'): SigningAlg {
  if (!(SIGNING_ALGS as readonly string[]).includes(alg)) throw invalid('alg', `${label} must be one of ${SIGNING_ALGS.join(', ')}`);
  return alg as SigningAlg;
}

export function listKeys(scope: IssuerScope): Promise<KeyInfo[]> {
  return scope.keys.list();
}

/**
 * Makes a new signing key for `alg` (every algorithm without one). It signs after the publish
 * lead, or at once with `now` (for a key that cannot be used or has leaked).
 */
export async function rotateKeys(scope: IssuerScope, options: { alg?: SigningAlg; now?: boolean } = {}): Promise<Rotation> {
  const algs = options.alg === undefined ? SIGNING_ALGS : [options.alg];
  const kids: { alg: SigningAlg; kid: string }[] = [];
  for (const alg of algs) {
    const kid = await scope.keys.rotate(alg, undefined, options.now ?? false);
    // Only a concurrent rotation of the same key makes rotate() give up; that one stands.
    if (kid === undefined) throw conflict('alg', `another process rotated the ${alg} key at the same moment; list the keys to see it`);
    kids.push({ alg, kid });
  }
  const all = await scope.keys.list();
  const activation = (kid: string): number => all.find((k) => k.kid === kid)?.activatesAt ?? scope.services.clock();
  const lead = scope.services.config.keyPublishLead;
  return { rotated: kids.map((k) => ({ ...k, activatesAt: activation(k.kid) })), lead, reread: keyTiming(lead).cacheSeconds };
}

/**
 * Stops a key signing at once; it stays published until the tokens it signed have expired. If no
 * other key of its algorithm signs, the pending replacement signs from now; with none, it is
 * refused: rotate first. Returns the key as it is now, and the key that took over, if one did.
 */
export async function retireKey(scope: IssuerScope, kid: string): Promise<{ key: KeyInfo; activated: KeyInfo | undefined }> {
  const result = await scope.keys.retire(kid);
  const shown = kid.slice(0, 100);
  switch (result.outcome) {
    case 'not_found':
      throw notFound('kid', `no signing key with kid "${shown}" at this issuer`);
    case 'pending':
      throw conflict('kid', `key ${shown} does not sign yet; it takes over at its activation time (rotate again to replace it)`);
    case 'already_retired':
      throw conflict('kid', `key ${shown} is already retired`);
    case 'only_key':
      throw conflict(
        'kid',
        `key ${shown} is the only ${result.alg} key signing and no replacement is pending: rotate first (gatehouse keys rotate --alg ${result.alg}, or POST /keys/rotate), then retire it`,
      );
  }
  const all = await scope.keys.list();
  const key = all.find((k) => k.kid === kid);
  if (!key) throw new ServiceError('not_found', 'kid', `key ${shown} vanished after it was retired`);
  return { key, activated: all.find((k) => k.kid === result.activated) };
}

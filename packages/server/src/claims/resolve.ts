import { ClaimAttributeRepository, type AttributeRead } from '../store/repos/claim-attributes.js';
import { type ClaimContext, type Claims, RESERVED_CLAIMS } from '../tokens/claim-sources.js';
import { BUILT_IN_CLAIMS } from './built-in.js';
import type { AttributeDefinition } from './config.js';

/** readForUser reads no time: a repository over the context's database needs no clock of its own. */
const noClock = (): number => 0;

/**
 * What one request has read for its claims, by context: every custom scope and API of the
 * request shares one attribute statement and one read per built-in async source (wallets,
 * organizations), however many of them release those claims.
 */
const reads = new WeakMap<ClaimContext, { attributes?: Promise<AttributeRead>; builtIn: Map<string, Promise<Claims>> }>();

function memo(context: ClaimContext): { attributes?: Promise<AttributeRead>; builtIn: Map<string, Promise<Claims>> } {
  let entry = reads.get(context);
  if (!entry) {
    entry = { builtIn: new Map() };
    reads.set(context, entry);
  }
  return entry;
}

/**
 * The values of `names` for the context's user: an attribute of the issuer (the user's own, or
 * for an organization attribute `{<organization id>: value}` over their organizations) or a
 * built-in claim read by its source. Reserved claims are never copied, whatever was configured.
 */
export async function resolveClaims(names: readonly string[], attributes: ReadonlyMap<string, AttributeDefinition>, context: ClaimContext): Promise<Claims> {
  const entry = memo(context);
  const claims: Claims = {};
  const wanted = names.filter((n) => !RESERVED_CLAIMS.has(n));
  if (wanted.some((n) => attributes.has(n))) {
    entry.attributes ??= new ClaimAttributeRepository(context.db, noClock, context.issuerId).readForUser(context.user.id);
    const read = await entry.attributes;
    for (const name of wanted) {
      const definition = attributes.get(name);
      if (!definition) continue;
      const value = definition.target === 'user' ? read.user[name] : read.organizations[name];
      if (value !== undefined) claims[name] = value;
    }
  }
  for (const name of wanted) {
    if (attributes.has(name)) continue;
    const source = BUILT_IN_CLAIMS.get(name);
    if (!source || source.kind === 'protocol') continue;
    let resolved: Claims;
    if (source.kind === 'sync') resolved = source.resolve(context);
    else {
      let pending = entry.builtIn.get(source.scope);
      if (!pending) {
        pending = source.resolve(context);
        entry.builtIn.set(source.scope, pending);
      }
      resolved = await pending;
    }
    const value = resolved[name];
    if (value !== null && value !== undefined) claims[name] = value;
  }
  return claims;
}

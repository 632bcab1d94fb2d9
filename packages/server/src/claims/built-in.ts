import type { ClaimSource } from '../tokens/claim-sources.js';
import { EMAIL_SOURCE, OPENID_SOURCE, PROFILE_SOURCE } from '../tokens/claims.js';
import { ORGANIZATIONS_SOURCE } from '../tokens/organizations-claim.js';
import { WALLETS_SOURCE } from '../wallets/claim.js';

/** Gatehouse's own claim sources, one per built-in scope, shared by every issuer. */
export const BUILT_IN_SOURCES: readonly ClaimSource[] = [OPENID_SOURCE, PROFILE_SOURCE, EMAIL_SOURCE, ORGANIZATIONS_SOURCE, WALLETS_SOURCE];

/** Scopes no issuer may define again: those of the built-in sources and offline_access. */
export const BUILT_IN_SCOPES: ReadonlySet<string> = new Set([...BUILT_IN_SOURCES.map((s) => s.scope), 'offline_access']);

/**
 * The built-in claims a custom scope or an API may release besides the issuer's attributes,
 * each with the source that resolves it (`sub` is the token issuer's own, so not among them).
 */
export const BUILT_IN_CLAIMS: ReadonlyMap<string, ClaimSource> = new Map(
  BUILT_IN_SOURCES.filter((s) => s.kind !== 'protocol').flatMap((s) => s.claims.map((claim): [string, ClaimSource] => [claim, s])),
);

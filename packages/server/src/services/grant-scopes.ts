import type { GrantEndReason } from '../events/catalog.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Repos } from '../store/repos.js';
import { type Grant, OFFLINE_ACCESS } from '../store/repos/grants.js';
import { revokeGrant } from './grants.js';

/** What removing scopes did: narrowed the grants, ended them (openid or their last scope), or found none live. */
export type ScopeRemoval = 'narrowed' | 'revoked' | 'gone';

/** Who removes: the user on their account page, or an administrator (console, Admin API). */
export type ScopeRemover = 'user' | 'admin';

const END_REASON: Readonly<Record<ScopeRemover, GrantEndReason>> = { user: 'revoked_by_user', admin: 'revoked_by_admin' };

// A grant changed by another request between our read and our write is read again; a few
// rounds settle any realistic race (each round sees a newer committed scope).
const ROUNDS = 3;

const scopesOf = (grant: Grant): string[] => grant.scope.split(' ').filter(Boolean);

/**
 * Whether taking `removed` out of scopes that together are `held` ends the access instead: no
 * sign-in is left without openid, and a grant with no scope is no grant.
 */
export function removalEndsAccess(held: readonly string[], removed: readonly string[]): boolean {
  return removed.includes('openid') || held.every((s) => removed.includes(s));
}

/**
 * Takes `removed` out of one live grant, in the caller's transaction: its scope narrows (and
 * `grant.scope_removed` is recorded), or it ends when nothing would be left, or when it loses
 * offline_access while the session it was signed in through is over (a grant without
 * offline_access does not outlive its session, OIDC Core §11). Returns what happened to it.
 */
async function narrowOne(repos: Repos, first: Grant, removed: readonly string[], by: ScopeRemover): Promise<ScopeRemoval> {
  let grant: Grant | undefined = first;
  for (let round = 0; round < ROUNDS && grant; round++) {
    const held = scopesOf(grant);
    const taken = removed.filter((s) => held.includes(s));
    if (taken.length === 0) return 'narrowed';
    const remaining = held.filter((s) => !taken.includes(s));
    if (removalEndsAccess(held, taken)) {
      return (await revokeGrant(repos, { grantId: grant.id }, END_REASON[by])) > 0 ? 'revoked' : 'gone';
    }
    if (taken.includes(OFFLINE_ACCESS) && (grant.sid === null || !(await repos.sessions.findBySid(grant.sid)))) {
      return (await revokeGrant(repos, { grantId: grant.id }, 'session_ended')) > 0 ? 'revoked' : 'gone';
    }
    if (await repos.grants.narrowScope(grant, remaining, taken, by)) return 'narrowed';
    grant = await repos.grants.findActive(grant.id);
  }
  return grant ? 'narrowed' : 'gone';
}

/**
 * The one place scopes are taken out of grants (per-scope revocation), run in the caller's
 * transaction: each of `grants` (live grants of `userId` to `clientId`) loses `removed`; the
 * remembered consent forgets them, so the next authorization asking for one shows consent
 * again; and codes not yet exchanged are spent, so none becomes a grant with a removed scope.
 * Access tokens carrying a removed scope stop working at once on every instance, because
 * access tokens are checked against their grant's current scope (tokens/access-token-check.ts).
 */
export async function removeScopesFromGrants(
  repos: Repos,
  owner: { userId: string; clientId: string },
  grants: readonly Grant[],
  removed: readonly string[],
  by: ScopeRemover,
): Promise<ScopeRemoval> {
  const outcomes: ScopeRemoval[] = [];
  for (const grant of grants) outcomes.push(await narrowOne(repos, grant, removed, by));
  if (!outcomes.some((o) => o !== 'gone')) return 'gone';
  await repos.consents.removeScopes(owner.userId, owner.clientId, removed);
  await repos.codes.spendAllForUser(owner.userId, owner.clientId);
  return outcomes.includes('narrowed') ? 'narrowed' : 'revoked';
}

/**
 * An administrator takes one scope out of one live grant of a user (the console and the Admin
 * API name grants, not apps): 'gone' when the user has no such live grant or it does not hold
 * the scope; 'revoked' when it was openid or the grant's last scope, which ends the grant.
 */
export async function removeScopeOfUserGrant(scope: IssuerScope, userId: string, grantId: string, scopeName: string): Promise<ScopeRemoval> {
  return scope.transaction(async (repos) => {
    const grant = await repos.grants.findActive(grantId);
    if (!grant || grant.userId !== userId || !scopesOf(grant).includes(scopeName)) return 'gone';
    return removeScopesFromGrants(repos, { userId, clientId: grant.clientId }, [grant], [scopeName], 'admin');
  });
}

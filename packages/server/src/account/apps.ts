import type { IssuerScope } from '../issuers/scope.js';
import { compareScopes } from '../pages/scope-text.js';
import type { GrantOfApp } from '../store/repos/grants.js';

/** One app with access to the user's account, as the page shows it. */
export interface AppWithAccess {
  clientId: string;
  name: string;
  /** Every scope the app holds through any of its live grants, openid, profile, email first. */
  scopes: string[];
  /** When the oldest of its live grants was given. */
  grantedAt: number;
  /** The last time the app obtained tokens (a sign-in or a refresh); at least grantedAt. */
  lastUsedAt: number;
  /**
   * The newest live grant: the page's handle for "Remove access". Grant ids are random, so a
   * form cannot name someone else's by guessing; removing one removes the whole app's access.
   */
  grantId: string;
}

/**
 * The apps holding a live grant for the user, newest first. An app signed in on two devices has
 * two grants; the person sees one app, with what the two allow together.
 */
export function groupByApp(rows: readonly GrantOfApp[]): AppWithAccess[] {
  const apps = new Map<string, AppWithAccess>();
  // Rows come newest first, so the first row of each app names its newest grant.
  for (const { grant, clientName, lastRefreshedAt } of rows) {
    const used = Math.max(grant.createdAt, lastRefreshedAt ?? 0);
    const app = apps.get(grant.clientId);
    if (!app) {
      apps.set(grant.clientId, {
        clientId: grant.clientId,
        name: clientName,
        scopes: grant.scope.split(' ').filter(Boolean),
        grantedAt: grant.createdAt,
        lastUsedAt: used,
        grantId: grant.id,
      });
      continue;
    }
    app.scopes = [...new Set([...app.scopes, ...grant.scope.split(' ').filter(Boolean)])];
    app.grantedAt = Math.min(app.grantedAt, grant.createdAt);
    app.lastUsedAt = Math.max(app.lastUsedAt, used);
  }
  for (const app of apps.values()) app.scopes.sort(compareScopes);
  return [...apps.values()];
}

export async function appsWithAccess(scope: IssuerScope, userId: string): Promise<AppWithAccess[]> {
  return groupByApp(await scope.repos.grants.listWithAppsForUser(userId));
}

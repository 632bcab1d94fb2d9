import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { pageTranslator } from '../http/locale.js';
import { say } from '../pages/translator.js';
import { readPageForm } from '../http/form.js';
import { sendPage, seeOther } from '../http/respond.js';
import { RemoveScopePage } from '../pages/remove-scope.js';
import { accountSession } from '../factors/account-session.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Repos } from '../store/repos.js';
import type { Grant } from '../store/repos/grants.js';
import { removalEndsAccess, removeScopesFromGrants } from '../services/grant-scopes.js';
import { checkAccountCsrf } from './csrf.js';
import { type Notice, accountPageUrl } from './notice.js';
import { GRANT_ID, removeAppAccess } from './remove-access.js';

/** A scope token as RFC 6749 §3.3 spells one; anything else is a broken form, not a lookup. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/;

/** The app behind one of the user's live grants: all its live grants, and every scope they hold together. */
interface App {
  clientId: string;
  grants: Grant[];
  scopes: string[];
}

async function appOf(repos: Repos, userId: string, grantId: string): Promise<App | undefined> {
  const grant = await repos.grants.findActive(grantId);
  if (!grant || grant.userId !== userId) return undefined;
  const grants = (await repos.grants.listForUser(userId)).filter((g) => g.clientId === grant.clientId);
  const scopes = [...new Set(grants.flatMap((g) => g.scope.split(' ').filter(Boolean)))];
  return { clientId: grant.clientId, grants, scopes };
}

/**
 * Takes one permission from an app: the scope leaves every live grant the user gave the app (the
 * page shows the app's grants as one), so its access tokens carrying that scope stop working at
 * once, its refreshes return the narrower scope, and the consent for that scope is forgotten.
 * Removing openid, or the app's last scope, removes the app's access entirely (removeAccess).
 *
 * 'gone' when `grantId` is not a live grant of this user, or the app does not hold the scope:
 * someone else's, already removed, or made up all answer the same, and nothing changes.
 */
export async function removeScope(scope: IssuerScope, userId: string, grantId: string, scopeName: string): Promise<Notice> {
  return scope.transaction(async (repos) => {
    const app = await appOf(repos, userId, grantId);
    if (!app?.scopes.includes(scopeName)) return 'gone';
    if (removalEndsAccess(app.scopes, [scopeName])) {
      await removeAppAccess(repos, userId, app.clientId);
      return 'removed';
    }
    const outcome = await removeScopesFromGrants(repos, { userId, clientId: app.clientId }, app.grants, [scopeName], 'user');
    return outcome === 'gone' ? 'gone' : 'scopeRemoved';
  });
}

/**
 * POST /account/apps/remove-scope: checks the session and its CSRF token, as "Remove access"
 * does; a scope's button leads to a confirmation naming the app and the permission, whose form
 * (with `confirm=yes`) removes it and goes back to the list (303).
 */
export async function handleRemoveScope(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await accountSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const grantId = form.get('grant') ?? '';
  const scopeName = form.get('scope') ?? '';
  if (!GRANT_ID.test(grantId) || !SCOPE_TOKEN.test(scopeName)) throw new PageError(say('form.incomplete'));
  if (form.get('confirm') !== 'yes') return confirmRemoval(c, scope, active.user.id, grantId, scopeName, form.get('csrf') ?? '');
  const notice = await removeScope(scope, active.user.id, grantId, scopeName);
  scope.services.logger.log('info', 'scope_removed', { user: active.user.id, outcome: notice });
  return seeOther(c, pageTranslator(c).carry(accountPageUrl(scope.url, notice)));
}

/** The confirmation page for a scope the app holds; anything else is answered as gone. */
async function confirmRemoval(c: Context, scope: IssuerScope, userId: string, grantId: string, scopeName: string, csrf: string): Promise<Response> {
  const app = await appOf(scope.repos, userId, grantId);
  const client = app?.scopes.includes(scopeName) ? await scope.repos.clients.find(app.clientId) : undefined;
  if (!app || !client) return seeOther(c, pageTranslator(c).carry(accountPageUrl(scope.url, 'gone')));
  return sendPage(
    c,
    RemoveScopePage({
      site: scope,
      t: pageTranslator(c),
      csrf,
      grantId,
      scope: scopeName,
      app: { id: client.id, name: client.name },
      endsAccess: removalEndsAccess(app.scopes, [scopeName]),
      apis: scope.registries.apis,
    }),
  );
}

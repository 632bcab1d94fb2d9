import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { pageTranslator } from '../http/locale.js';
import { say } from '../pages/translator.js';
import { readPageForm } from '../http/form.js';
import { sendPage, seeOther } from '../http/respond.js';
import { RemoveAccessPage } from '../pages/remove-access.js';
import { accountSession } from '../factors/account-session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { checkAccountCsrf } from './csrf.js';
import { type Notice, accountPageUrl } from './notice.js';
import { revokeGrant } from '../services/grants.js';
import type { Repos } from '../store/repos.js';

// Grant ids are 128-bit base64url tokens; anything else is a broken form, not a lookup.
export const GRANT_ID = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * Takes an app's access away: every live grant the user gave it is revoked, which is the same
 * revocation RFC 7009 and refresh-token reuse use (grants.revoked_at). Refresh tokens are spent
 * against a live grant only, and access tokens are checked against their grant at
 * introspection and userinfo, so all of them stop working at once, on every instance. The
 * remembered consent goes too, so the app has to ask again, and codes not yet exchanged are
 * spent so none becomes a new grant.
 *
 * 'gone' when `grantId` is not a live grant of this user: someone else's, already revoked, or
 * made up all answer the same, and nothing changes.
 */
export async function removeAccess(scope: IssuerScope, userId: string, grantId: string): Promise<Notice> {
  const notice = await scope.transaction(async (repos): Promise<Notice> => {
    const grant = await repos.grants.findActive(grantId);
    if (!grant || grant.userId !== userId) return 'gone';
    await removeAppAccess(repos, userId, grant.clientId);
    return 'removed';
  });
  // Committed: its grant.revoked goes out to webhooks now (resource servers, docs/revocation.md).
  if (notice === 'removed') scope.services.webhooks.wake();
  return notice;
}

/** Every live grant of the user to the client ends, its consent is forgotten and its unexchanged codes spent; in the caller's transaction. */
export async function removeAppAccess(repos: Repos, userId: string, clientId: string): Promise<void> {
  await revokeGrant(repos, { userId, clientId }, 'revoked_by_user');
  await repos.consents.revoke(userId, clientId);
  await repos.codes.spendAllForUser(userId, clientId);
}

/**
 * POST /account/apps/remove: checks the session and its CSRF token; the list's button leads to
 * a confirmation naming the app, whose form (with `confirm=yes`) removes it and goes back to
 * the list (303).
 */
export async function handleRemoveAccess(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await accountSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const grantId = form.get('grant') ?? '';
  if (!GRANT_ID.test(grantId)) throw new PageError(say('form.incomplete'));
  if (form.get('confirm') !== 'yes') return confirmRemoval(c, scope, active.user.id, grantId, form.get('csrf') ?? '');
  const notice = await removeAccess(scope, active.user.id, grantId);
  scope.services.logger.log('info', 'access_removed', { user: active.user.id, found: notice === 'removed' });
  return seeOther(c, pageTranslator(c).carry(accountPageUrl(scope.url, notice)));
}

/** The confirmation page for one of the user's live grants; anything else is answered as gone. */
async function confirmRemoval(c: Context, scope: IssuerScope, userId: string, grantId: string, csrf: string): Promise<Response> {
  const grant = await scope.repos.grants.findActive(grantId);
  const client = grant && grant.userId === userId ? await scope.repos.clients.find(grant.clientId) : undefined;
  if (!client) return seeOther(c, pageTranslator(c).carry(accountPageUrl(scope.url, 'gone')));
  return sendPage(c, RemoveAccessPage({ site: scope, t: pageTranslator(c), csrf, grantId, appName: client.name }));
}

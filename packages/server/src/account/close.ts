import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import { type ActiveSession, currentSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { AccountClosedPage, CloseAccountPage } from '../pages/account-close.js';
import { type Text, say } from '../pages/translator.js';
import { ServiceError } from '../services/errors.js';
import { revokeGrant } from '../services/grants.js';
import { endUserSessions } from '../services/sessions.js';
import { deleteUserIn, refuseLastOwner } from '../services/users.js';
import { actingAs, recordEvent } from '../store/repos/events.js';
import type { User } from '../store/repos/users.js';
import { accountCsrfToken, checkAccountCsrf } from './csrf.js';
import { signedInRecently } from './recent.js';

/** The reasons the page offers, in its order; the operator reads them per issuer (account_closures). */
export const CLOSE_REASONS = ['not_using', 'other_account', 'privacy', 'problems', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const MAX_CLOSE_DETAILS = 2000;

/** What the form held, to show again when it is refused. */
export interface CloseForm {
  reason: string;
  details: string;
}

/** GET /account/close: the form, or (without a sign-in in the last five minutes) the fresh sign-in it needs. */
export function showClose(c: Context, scope: IssuerScope, active: ActiveSession, state: { form?: CloseForm; error?: Text } = {}): Promise<Response> {
  return sendPage(
    c,
    CloseAccountPage({
      site: scope,
      t: pageTranslator(c),
      userEmail: active.user.email,
      csrf: accountCsrfToken(scope, active.session),
      recent: signedInRecently(scope, active.session),
      policy: scope.settings.closedAccounts,
      form: state.form ?? { reason: '', details: '' },
      error: state.error,
    }),
    state.error ? 400 : 200,
  );
}

/**
 * Closes the account, in one transaction: the reason is kept for the operator, every grant the
 * user gave is revoked (offline ones too), every session ended, then the user deleted (with
 * everything on them, as an administrator's deletion: services/users.ts) or anonymised
 * (users.anonymise), as the issuer's closedAccounts setting says; `user.closed` tells webhooks.
 * The issuer's last console owner cannot close their account (a `conflict`, nothing changed).
 */
export async function closeAccount(scope: IssuerScope, user: User, reason: CloseReason, details: string | null): Promise<'deleted' | 'anonymised'> {
  const outcome = scope.settings.closedAccounts === 'anonymise' ? 'anonymised' : 'deleted';
  await scope.transaction(async (repos) => {
    await refuseLastOwner(repos, user);
    await repos.accountClosures.record({ userId: user.id, reason, details, outcome });
    await revokeGrant(repos, { userId: user.id }, 'revoked_by_user');
    await endUserSessions(repos, user.id, 'account_closed');
    if (outcome === 'deleted') {
      await deleteUserIn(repos, user);
    } else {
      await repos.users.anonymise(user.id);
      // Its upstream identities are freed too: they may sign up again as someone new.
      await repos.linkedIdentities.unlinkAll(user.id);
      // An anonymised row keeps no console role: nobody can sign in as it anyway.
      if (await repos.adminRoles.find(user.id)) await repos.adminRoles.remove(user.id);
    }
    await recordEvent(repos.db, scope.id, scope.services.clock(), { type: 'user.closed', userId: user.id, payload: { outcome } });
  });
  scope.services.backchannel.wake();
  scope.services.logger.log('info', 'account_closed', { issuer: scope.id, user: user.id, outcome });
  return outcome;
}

/**
 * POST /account/close (`csrf`, `reason`, `details`, `confirm=yes`): refused without a recent
 * sign-in (the page then offers one), without a listed reason or the confirmation. The browser
 * is signed out and shown that the account is closed.
 */
export async function handleClose(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const typed: CloseForm = { reason: form.get('reason') ?? '', details: (form.get('details') ?? '').slice(0, MAX_CLOSE_DETAILS + 100) };
  if (!signedInRecently(scope, active.session)) return showClose(c, scope, active, { form: typed, error: say('accountPages.close.notRecent') });
  const reason = CLOSE_REASONS.find((r) => r === typed.reason);
  if (!reason) return showClose(c, scope, active, { form: typed, error: say('accountPages.close.needReason') });
  const details = typed.details.trim();
  // Newlines and tabs are writing; other control characters are not.
  if ([...details].length > MAX_CLOSE_DETAILS || /\p{Cc}/u.test(details.replace(/[\n\r\t]/g, ''))) {
    return showClose(c, scope, active, { form: typed, error: say('accountPages.close.badDetails', { max: MAX_CLOSE_DETAILS }) });
  }
  if (form.get('confirm') !== 'yes') return showClose(c, scope, active, { form: typed, error: say('accountPages.close.needConfirm') });
  try {
    await actingAs(
      `user:${active.user.id}`,
      () => closeAccount(scope, active.user, reason, details === '' ? null : details),
      clientIp(c, scope.services.config.trustProxy),
    );
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'conflict')
      return showClose(c, scope, active, { form: typed, error: say('accountPages.close.lastOwner') });
    throw error;
  }
  scope.cookies.clearSession(c);
  return sendPage(c, AccountClosedPage({ site: scope, t: pageTranslator(c) }));
}

import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { clientIp } from '../http/client-ip.js';
import { parseParams, rawQuery, readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { seeOther, sendPage } from '../http/respond.js';
import { type ActiveSession, currentSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { AccountSessionsPage } from '../pages/account-sessions.js';
import { type Text, say } from '../pages/translator.js';
import { endSession, endUserSessions } from '../services/sessions.js';
import { actingAs } from '../store/repos/events.js';
import { accountCsrfToken, checkAccountCsrf } from './csrf.js';
import { ACCOUNT_SESSIONS_PATH } from './paths.js';

type SessionsNotice = 'ended' | 'others' | 'gone';

const NOTICES: Readonly<Record<SessionsNotice, Text>> = {
  ended: say('accountPages.sessions.ended'),
  others: say('accountPages.sessions.endedOthers'),
  gone: say('accountPages.sessions.gone'),
};

// A session's sid is a 128-bit base64url token; anything else is a broken form, not a lookup.
const SID = /^[A-Za-z0-9_-]{10,64}$/;

/** GET /account/sessions. */
export async function showSessions(c: Context, scope: IssuerScope, active: ActiveSession): Promise<Response> {
  const name = parseParams(rawQuery(c)).get('notice');
  const notice = name !== undefined && Object.hasOwn(NOTICES, name) ? NOTICES[name as SessionsNotice] : undefined;
  return sendPage(
    c,
    AccountSessionsPage({
      site: scope,
      t: pageTranslator(c),
      userEmail: active.user.email,
      csrf: accountCsrfToken(scope, active.session),
      sessions: await scope.repos.sessions.listForUser(active.user.id),
      currentId: active.session.id,
      notice,
    }),
  );
}

function backToSessions(c: Context, scope: IssuerScope, notice: SessionsNotice): Response {
  return seeOther(c, pageTranslator(c).carry(`${scope.url}${ACCOUNT_SESSIONS_PATH}?notice=${notice}`));
}

async function signedInForm(c: Context, scope: IssuerScope): Promise<{ form: URLSearchParams; active: ActiveSession }> {
  const form = await readPageForm(c);
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  return { form, active };
}

/**
 * POST /account/sessions/end (`sid`): signs out one other session of the user, and with it the
 * grants signed in through it but those given offline_access (services/sessions.ts), recording
 * session.ended. Someone else's sid, an ended one or this browser's own all answer "gone" (this
 * browser signs out with the sign-out button, which ends it properly with its logout).
 */
export async function handleEndSession(c: Context, scope: IssuerScope): Promise<Response> {
  const { form, active } = await signedInForm(c, scope);
  const sid = form.get('sid') ?? '';
  if (!SID.test(sid)) throw new PageError(say('form.incomplete'));
  const session = await scope.repos.sessions.findBySid(sid);
  if (!session || session.userId !== active.user.id || session.id === active.session.id) return backToSessions(c, scope, 'gone');
  await actingAs(
    `user:${active.user.id}`,
    () => scope.transaction((repos) => endSession(repos, session.id, 'signed_out_elsewhere')),
    clientIp(c, scope.services.config.trustProxy),
  );
  scope.services.backchannel.wake();
  scope.services.logger.log('info', 'session_ended_by_user', { user: active.user.id });
  return backToSessions(c, scope, 'ended');
}

/** POST /account/sessions/end-others: every session of the user but this browser's, as above. */
export async function handleEndOtherSessions(c: Context, scope: IssuerScope): Promise<Response> {
  const { active } = await signedInForm(c, scope);
  await actingAs(
    `user:${active.user.id}`,
    () => scope.transaction((repos) => endUserSessions(repos, active.user.id, 'signed_out_elsewhere', active.session.id)),
    clientIp(c, scope.services.config.trustProxy),
  );
  scope.services.backchannel.wake();
  scope.services.logger.log('info', 'other_sessions_ended_by_user', { user: active.user.id });
  return backToSessions(c, scope, 'others');
}

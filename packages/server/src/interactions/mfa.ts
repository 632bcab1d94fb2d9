import type { Context } from 'hono';
import { ACCOUNT_HOME_PATH, accountReturnPath } from '../account/paths.js';
import { PageError } from '../errors.js';
import type { ChallengeContext, FactorResult } from '../factors/factor.js';
import { kickMail, recordFactorChange } from '../factors/changes.js';
import { qrSvg } from '../factors/qr-svg.js';
import { regenerateRecoveryCodes } from '../factors/recovery-factor.js';
import { enrolledFactors } from '../factors/registry.js';
import { rememberDevice } from '../factors/remember-device.js';
import { FactorThrottle, lockoutMinutes } from '../factors/throttle.js';
import { checkTotpCode, pendingTotp, startTotpEnrolment, typedCode } from '../factors/totp-factor.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { logSecurityEvent } from '../http/request-log.js';
import { seeOther, sendPage } from '../http/respond.js';
import type { IssuerScope } from '../issuers/scope.js';
import { shownClientName } from '../pages/client-name.js';
import { MfaEnrolPage, MfaPage, RememberDevice } from '../pages/mfa.js';
import { CONTINUE_AFTER_CODES, MfaRecoveryCodesPage } from '../pages/mfa-recovery-codes.js';
import { type Text, say } from '../pages/translator.js';
import { ACR_TWO_FACTORS, authenticatedBy } from '../signin/assurance.js';
import type { Session } from '../store/repos/sessions.js';
import type { User } from '../store/repos/users.js';
import { moveOn, nextFor, toInteractionPage } from './advance.js';
import { commitPendingLink } from '../federation/accounts.js';
import { type AnyLoadedInteraction, loadAnyInteraction } from './load.js';

type Failure = { status: 400 | 401 | 429; error: Text };

/** The session and user the step is for: the ones the password step (or the chooser) left on the interaction. */
async function signingIn(scope: IssuerScope, loaded: AnyLoadedInteraction): Promise<{ user: User; session: Session }> {
  const { interaction } = loaded;
  const session = interaction.sessionId ? await scope.repos.sessions.findById(interaction.sessionId) : undefined;
  const user = session ? await scope.repos.users.findById(session.userId) : undefined;
  if (interaction.prompt !== 'mfa' || !session || !user || user.disabled || session.userId !== interaction.userId) {
    throw new PageError(say('interaction.sessionEnded'));
  }
  return { user, session };
}

function challengeContext(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction, userId: string): ChallengeContext {
  const t = pageTranslator(c);
  return {
    userId,
    interactionId: loaded.interaction.id,
    csrf: loaded.interaction.csrfToken,
    action: scope.path(`/interaction/${loaded.interaction.id}/mfa`),
    t,
    // Not for step-up requests: a remembered device never answers acr_values or max_age.
    remember: offersRemember(scope, loaded) ? RememberDevice({ t, id: 'remember-device' }) : undefined,
  };
}

function offersRemember(scope: IssuerScope, loaded: AnyLoadedInteraction): boolean {
  if (!scope.settings.rememberDevice) return false;
  if (!loaded.client) return true;
  const request = loaded.interaction.params;
  return request.acrValues === undefined && request.maxAge === undefined;
}

/** The step's page: each enrolled factor's form; a user who has none (and must) sets up an authenticator app here. */
export async function showMfa(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction, failure?: Failure): Promise<Response> {
  const { user } = await signingIn(scope, loaded);
  const t = pageTranslator(c);
  const ctx = challengeContext(c, scope, loaded, user.id);
  const clientName = loaded.client ? shownClientName(t, loaded.client) : undefined;
  const base = { site: scope, t, uid: loaded.interaction.id, csrf: loaded.interaction.csrfToken, clientName, error: failure?.error };
  const factors = await enrolledFactors(scope, user.id);
  if (factors.length === 0) {
    const setup = (await pendingTotp(scope, user.id, user.email)) ?? (await startTotpEnrolment(scope, user.id, user.email));
    // A confirmed app appeared between the two reads (another tab): show the usual step.
    if (!setup) return showMfa(c, scope, loaded, failure);
    const svg = qrSvg(setup.uri, t.t('mfa.enrol.qr'));
    return sendPage(c, MfaEnrolPage({ ...base, secret: setup.secret, qrSvg: svg, remember: ctx.remember }), failure?.status);
  }
  const sections = await Promise.all(factors.map((factor) => factor.challenge(c, scope, ctx)));
  return sendPage(c, MfaPage({ ...base, sections }), failure?.status);
}

/**
 * POST /interaction/:uid/mfa with `factor=<kind>` and that factor's fields. The answer is
 * checked only within the throttle (factors/throttle.ts) and only for the user this
 * interaction signed in with its password: a code posted to another interaction is checked
 * against that interaction's user, and a time step or recovery code, once used, is used up.
 */
export async function handleMfa(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded = await loadAnyInteraction(c, scope, form.get('csrf'));
  if (loaded.interaction.prompt !== 'mfa') return toInteractionPage(c, scope, loaded);
  const { user, session } = await signingIn(scope, loaded);
  const kind = form.get('factor') ?? '';
  // After the recovery codes shown at enrolment: this session proved its second factor in the
  // post that showed them (it is at two factors now); anything less is asked the step again.
  if (kind === CONTINUE_AFTER_CODES) {
    if (session.acr !== ACR_TWO_FACTORS) return showMfa(c, scope, loaded);
    return finishMfa(c, scope, loaded, session);
  }
  const factors = await enrolledFactors(scope, user.id);
  const enrolling = factors.length === 0;
  const factor = factors.find((f) => f.kind === kind);
  if (enrolling ? kind !== 'totp' : !factor) return showMfa(c, scope, loaded, { status: 400, error: say('mfa.unknownFactor') });

  const attempt = await new FactorThrottle(c, scope).reserve(user.id, loaded.interaction.id, kind);
  if (attempt.refused) return showMfa(c, scope, loaded, { status: 429, error: say('mfa.locked', { count: lockoutMinutes() }) });
  const ctx = challengeContext(c, scope, loaded, user.id);
  let result: FactorResult;
  if (factor) result = await factor.verify(c, scope, ctx, form);
  else {
    const code = typedCode(form.get('code') ?? undefined);
    result =
      code === ''
        ? { ok: false, status: 400, error: say('mfa.missing') }
        : (await checkTotpCode(scope, user.id, code, true))
          ? { ok: true, amr: ['otp'] }
          : { ok: false, status: 401, error: say('mfa.wrong') };
  }
  if (!result.ok) {
    await attempt.failed();
    return showMfa(c, scope, loaded, { status: result.status, error: result.error });
  }
  await attempt.succeeded();

  const auth = authenticatedBy([...session.amr, ...result.amr]);
  const remember = form.get('remember') === '1' && offersRemember(scope, loaded);
  // The codes made with an app set up here, to show; false when the session had ended.
  const elevated = await scope.transaction(async (repos): Promise<string[] | false> => {
    if (!(await repos.sessions.elevate(session.id, auth))) return false;
    await repos.events.record({
      type: 'mfa.verified',
      actor: `user:${user.id}`,
      userId: user.id,
      address: clientIp(c, scope.services.config.trustProxy),
      payload: { factor: kind, remembered: remember },
    });
    if (!enrolling) return [];
    await recordFactorChange(c, scope, repos, user, 'totp_added');
    // The app set up here gets its recovery codes at once, as on the security page.
    const codes = await regenerateRecoveryCodes(repos, user.id);
    await recordFactorChange(c, scope, repos, user, 'recovery_generated', codes.length, { mail: false });
    return codes;
  });
  if (!elevated) throw new PageError(say('interaction.sessionEnded'));
  // An upstream identity waiting for this account to prove itself (federation/prove.ts) is linked now.
  await commitPendingLink(scope, loaded.interaction.id, user.id);
  if (enrolling) kickMail(scope);
  if (remember) await rememberDevice(c, scope, user.id);
  logSecurityEvent(c, 'info', 'mfa_verified', { user: user.id, factor: kind });
  const signedIn: Session = { ...session, amr: [...auth.amr], acr: auth.acr };
  if (elevated.length > 0) {
    // Shown this once; "continue" posts back here and goes on as below.
    const t = pageTranslator(c);
    return sendPage(c, MfaRecoveryCodesPage({ site: scope, t, uid: loaded.interaction.id, csrf: loaded.interaction.csrfToken, codes: elevated }));
  }
  return finishMfa(c, scope, loaded, signedIn);
}

/** The step is passed: an account sign-in ends on its page; an app's goes on to consent or its code. */
async function finishMfa(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction, signedIn: Session): Promise<Response> {
  if (!loaded.client) {
    if (!(await scope.repos.interactions.complete(loaded.interaction.id))) throw new PageError(say('interaction.accountAlreadyUsed'));
    scope.cookies.clearInteraction(c, loaded.interaction.id);
    // An account sign-in (or a fresh sign-in asked by an account page) ends on its fixed path.
    const path = accountReturnPath(loaded.interaction.params.returnTo) ?? ACCOUNT_HOME_PATH;
    return seeOther(c, pageTranslator(c).carry(`${scope.url}${path}`));
  }
  const next = await nextFor(c, scope, loaded, { session: signedIn, signedIn: true, accountChosen: true, accounts: 0 });
  return moveOn(c, scope, loaded, next, signedIn);
}

import type { Context, Hono } from 'hono';
import { accountCsrfToken, checkAccountCsrf } from '../account/csrf.js';
import { signedInRecently } from '../account/recent.js';
import { PageError } from '../errors.js';
import { parseParams, rawQuery, readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { allowOnly } from '../http/methods.js';
import { seeOther, sendPage } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import type { ActiveSession } from '../http/session.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { showLogin } from '../interactions/login.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Text, say } from '../pages/translator.js';
import { authenticatedBy } from '../signin/assurance.js';
import { FactorsPage, FACTOR_SECTIONS, otherFactor, RecoveryCodesPage, TotpEnrolPage, totpIsLastRequiredFactor } from './account-security.js';
import { accountSession } from './account-session.js';
import { kickMail, recordFactorChange } from './changes.js';
import { FACTORS_PAGE_PATH, RECOVERY_GENERATE_PATH, TOTP_CONFIRM_PATH, TOTP_REMOVE_PATH, TOTP_START_PATH } from './paths.js';
import { qrSvg } from './qr-svg.js';
import { regenerateRecoveryCodes } from './recovery-factor.js';
import { FactorThrottle, lockoutMinutes } from './throttle.js';
import { checkTotpCode, pendingTotp, startTotpEnrolment, typedCode } from './totp-factor.js';

const NOTICES: Readonly<Record<string, Text>> = { added: say('mfa.section.totpAdded'), removed: say('mfa.section.totpRemoved') };

async function showFactors(c: Context, scope: IssuerScope, active: ActiveSession, error?: Text, status?: 400 | 403 | 409): Promise<Response> {
  const t = pageTranslator(c);
  const input = { active, t, csrf: accountCsrfToken(scope, active.session), recent: signedInRecently(scope, active.session) };
  const sections = await Promise.all(FACTOR_SECTIONS.map((section) => section.render(c, scope, input)));
  const name = parseParams(rawQuery(c)).get('notice');
  const notice = name !== undefined && Object.hasOwn(NOTICES, name) ? NOTICES[name] : undefined;
  return sendPage(c, FactorsPage({ scope, t, sections, notice, error }), status);
}

function backToFactors(c: Context, scope: IssuerScope, notice?: 'added' | 'removed'): Response {
  return seeOther(c, pageTranslator(c).carry(`${scope.url}${FACTORS_PAGE_PATH}${notice ? `?notice=${notice}` : ''}`));
}

/**
 * A factor change's session: signed in (with every factor the policy asks), the form's CSRF
 * token, and a sign-in within five minutes, so a browser left signed in cannot change them.
 */
async function changing(c: Context, scope: IssuerScope, form: URLSearchParams): Promise<ActiveSession> {
  const active = await accountSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  if (!signedInRecently(scope, active.session)) throw new PageError(say('mfa.section.recentNeeded'), { status: 403 });
  return active;
}

async function showEnrol(c: Context, scope: IssuerScope, active: ActiveSession, setup: { secret: string; uri: string }, error?: Text): Promise<Response> {
  const t = pageTranslator(c);
  const svg = qrSvg(setup.uri, t.t('mfa.enrol.qr'));
  return sendPage(
    c,
    TotpEnrolPage({ scope, t, csrf: accountCsrfToken(scope, active.session), secret: setup.secret, qrSvg: svg, error }),
    error ? 401 : undefined,
  );
}

/** POST …/totp/start: a new pending secret, shown as a QR code and as text. */
async function handleStart(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await changing(c, scope, form);
  const setup = await startTotpEnrolment(scope, active.user.id, active.user.email);
  if (!setup) return backToFactors(c, scope);
  return showEnrol(c, scope, active, setup);
}

/** POST …/totp/confirm: the first code confirms the app; throttled like the sign-in's codes. */
async function handleConfirm(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await changing(c, scope, form);
  const { user } = active;
  const setup = await pendingTotp(scope, user.id, user.email);
  if (!setup) return backToFactors(c, scope);
  const attempt = await new FactorThrottle(c, scope).reserve(user.id, `enrol:${active.session.sid}`, 'totp');
  if (attempt.refused) return showEnrol(c, scope, active, setup, say('mfa.locked', { count: lockoutMinutes() }));
  const code = typedCode(form.get('code') ?? undefined);
  if (!(await checkTotpCode(scope, user.id, code, true))) {
    await attempt.failed();
    return showEnrol(c, scope, active, setup, say('mfa.wrong'));
  }
  await attempt.succeeded();
  await scope.transaction(async (repos) => {
    // The first code proved the app: this session has two factors now, so the policy that may
    // ask for the app from now on does not sign its owner out of this page.
    await repos.sessions.elevate(active.session.id, authenticatedBy([...active.session.amr, 'otp']));
    await recordFactorChange(c, scope, repos, user, 'totp_added');
  });
  kickMail(scope);
  return backToFactors(c, scope, 'added');
}

/** POST …/totp/remove: never the last factor of a user who must have one. */
async function handleRemove(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await changing(c, scope, form);
  const { user } = active;
  if (await totpIsLastRequiredFactor(scope, user.id)) {
    return showFactors(c, scope, active, say('mfa.section.lastFactor', { brand: scope.settings.brand.name }), 409);
  }
  const keepRecovery = await otherFactor(scope, user.id);
  const removed = await scope.transaction(async (repos) => {
    if (!(await repos.totpFactors.remove(user.id))) return false;
    // Recovery codes stand in for a factor; with none left they would stand in for nothing.
    if (!keepRecovery) await repos.recoveryCodes.removeAll(user.id);
    await recordFactorChange(c, scope, repos, user, 'totp_removed');
    return true;
  });
  if (removed) kickMail(scope);
  return backToFactors(c, scope, removed ? 'removed' : undefined);
}

/** POST …/recovery/generate: ten new codes replace the old ones, shown on this answer only. */
async function handleGenerate(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await changing(c, scope, form);
  const { user } = active;
  if (!(await scope.repos.totpFactors.hasConfirmed(user.id)) && !(await otherFactor(scope, user.id))) {
    return showFactors(c, scope, active, say('mfa.section.recoveryNeedsFactor'), 409);
  }
  const codes = await scope.transaction(async (repos) => {
    const made = await regenerateRecoveryCodes(repos, user.id);
    await recordFactorChange(c, scope, repos, user, 'recovery_generated', made.length);
    return made;
  });
  kickMail(scope);
  return sendPage(c, RecoveryCodesPage({ scope, t: pageTranslator(c), codes }));
}

/** The factor routes of the account security page, under /account/security/. */
export function registerFactorPages(app: Hono): void {
  const form =
    (handle: (c: Context, scope: IssuerScope) => Promise<Response>) =>
    (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      return handle(c, issuerScope(c));
    };
  app.get(FACTORS_PAGE_PATH, async (c) => {
    c.header('Cache-Control', 'no-store');
    const scope = issuerScope(c);
    const active = await accountSession(c, scope);
    if (active) return showFactors(c, scope, active);
    return showLogin(c, scope, await startAccountSignIn(c, scope), undefined);
  });
  app.post(TOTP_START_PATH, form(handleStart));
  app.post(TOTP_CONFIRM_PATH, form(handleConfirm));
  app.post(TOTP_REMOVE_PATH, form(handleRemove));
  app.post(RECOVERY_GENERATE_PATH, form(handleGenerate));
  allowOnly(app, FACTORS_PAGE_PATH, ['GET']);
  for (const path of [TOTP_START_PATH, TOTP_CONFIRM_PATH, TOTP_REMOVE_PATH, RECOVERY_GENERATE_PATH]) allowOnly(app, path, ['POST']);
}

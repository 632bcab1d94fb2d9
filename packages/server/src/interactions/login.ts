import type { Context } from 'hono';
import { consentedScopes } from '../authorize/decide.js';
import { LoginThrottle } from '../auth/throttle.js';
import { verifyPassword } from '../auth/password.js';
import { upgradePasswordHash } from '../auth/upgrade-hash.js';
import { signInOutcome } from '../auth/sign-in-log.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { LoginPage } from '../pages/login.js';
import { type Text, say } from '../pages/translator.js';
import type { IssuerScope } from '../issuers/scope.js';
import { alreadyUsed, completeWithCode, leaveInteraction } from './finish.js';
import { codeFor, codeRedirect } from '../authorize/respond.js';
import { newCode } from '../store/repos/codes.js';
import { newSession } from '../store/repos/sessions.js';
import { type AnyLoadedInteraction, type LoadedInteraction, interactionId, loadAnyInteraction } from './load.js';
import { signInToAccount } from './account-sign-in.js';
import { sendPage, seeOther } from '../http/respond.js';

const MAX_PASSWORD = 1024;

/** The sign-in form of an interaction; with an error, re-shown after a failed attempt. */
export function showLogin(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  email: string | undefined,
  failure?: { status: 400 | 401 | 429; error: Text },
): Promise<Response> {
  return sendPage(
    c,
    LoginPage({ site: scope, t: pageTranslator(c), uid: loaded.interaction.id, csrf: loaded.interaction.csrfToken, clientName: loaded.client?.name, email, error: failure?.error }),
    failure?.status,
  );
}

/** POST /interaction/:uid/login: checks the password, starts a session, then consent or code. */
export async function handleLogin(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const email = (form.get('email') ?? '').trim().slice(0, 320);
  const password = form.get('password') ?? '';
  const throttle = new LoginThrottle(scope);
  const ip = clientIp(c, scope.services.config.trustProxy);
  // The password check is reserved against the throttle first (auth/throttle.ts), in the same
  // statement that reads the account and the interaction; nothing is acted on before the
  // interaction, its browser and its CSRF token have been checked, and a post that fails those
  // checks gives its reservation back.
  const attempt = email && password ? await throttle.reserve(email, ip, interactionId(c)) : undefined;
  let loaded: AnyLoadedInteraction;
  try {
    loaded = await loadAnyInteraction(c, scope, form.get('csrf'), attempt?.interaction);
  } catch (error) {
    await attempt?.cancel();
    throw error;
  }
  // Signed in already, at the consent step: a second post of the form (back button, double
  // click, replay) signs no one in again; the browser is sent back to the step it is at.
  if (loaded.client && loaded.interaction.prompt === 'consent') {
    await attempt?.cancel();
    return toInteractionPage(c, scope, loaded);
  }
  if (!attempt) return showLogin(c, scope, loaded, email, { status: 400, error: say('login.missing') });

  const minutes = Math.ceil(scope.settings.login.windowSeconds / 60);
  const { user } = attempt;
  if (attempt.refused) {
    signInOutcome(c, scope, 'throttled', { user: user?.id, reason: attempt.refused });
    return showLogin(c, scope, loaded, email, { status: 429, error: say('login.throttled', { count: minutes }) });
  }
  // An unknown email costs one argon2 verification too, so timing does not tell who has an account.
  const ok = password.length <= MAX_PASSWORD && (await verifyPassword(user?.passwordHash ?? null, password));
  // A failure stays counted: the reservation was it.
  if (!user || !ok || user.disabled) {
    signInOutcome(c, scope, !user ? 'unknown_account' : !ok ? 'wrong_password' : 'disabled', { user: user?.id });
    return showLogin(c, scope, loaded, email, { status: 401, error: say('login.wrong') });
  }
  signInOutcome(c, scope, 'success');
  await attempt.succeeded(user.id);
  await upgradePasswordHash(scope, user, password);
  if (!loaded.client) return signInToAccount(c, scope, loaded, user.id);

  const scopes = await consentedScopes(scope, loaded.client, user.id, loaded.interaction.params);
  const previous = scope.cookies.getSession(c);
  const { cookieValue, location } = scopes && !previous
    ? await signInWithCode(scope, loaded, user.id, scopes)
    : await signInTransaction(scope, loaded, user.id, scopes, previous);
  scope.cookies.setSession(c, cookieValue, scope.settings.sessionTtl);
  scope.services.logger.log('info', 'login', { user: user.id, client: loaded.client.id });
  if (location) return leaveInteraction(c, scope, loaded, location);
  return toInteractionPage(c, scope, loaded);
}

/** To the page the interaction waits on now (consent, after a login). */
function toInteractionPage(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction): Response {
  return seeOther(c, `${scope.url}/interaction/${loaded.interaction.id}`);
}

interface SignedIn {
  cookieValue: string;
  /** Where to send the browser with its code; undefined when consent is still to be asked. */
  location: string | undefined;
}

/** The usual login: no earlier session, nothing to ask. One statement on PostgreSQL (login-commit.ts). */
async function signInWithCode(scope: IssuerScope, loaded: LoadedInteraction, userId: string, scopes: string[]): Promise<SignedIn> {
  const now = scope.services.clock();
  const { row: sessionRow, session, cookieValue } = newSession(scope.id, userId, scope.settings.sessionTtl, now);
  const request = loaded.interaction.params;
  const { code, row: codeRow } = newCode(scope.id, codeFor(request, session, scopes), scope.settings.codeTtl, now);
  if (!(await scope.repos.interactions.completeWithLogin(loaded.interaction.id, sessionRow, codeRow))) throw alreadyUsed();
  return { cookieValue, location: codeRedirect(scope, request, code) };
}

/** Any other login, in one transaction: it ends the browser's earlier session, or leads to consent. */
async function signInTransaction(scope: IssuerScope, loaded: LoadedInteraction, userId: string, scopes: string[] | undefined, previous: string | undefined): Promise<SignedIn> {
  // Everything a login writes commits at once: the new session, then the code or the consent step.
  return scope.transaction(async (repos) => {
    const { session, cookieValue } = await repos.sessions.replace(previous, userId, scope.settings.sessionTtl);
    if (scopes) return { cookieValue, location: await completeWithCode(scope, repos, loaded, session, scopes) };
    await repos.interactions.advance(loaded.interaction.id, 'consent', userId, session.id);
    return { cookieValue, location: undefined };
  });
}

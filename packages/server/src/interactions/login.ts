import type { Context } from 'hono';
import { shownClientName } from '../pages/client-name.js';
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
import { sendPage } from '../http/respond.js';
import { keepAccounts } from '../http/browser-accounts.js';
import { nextFor, toInteractionPage } from './advance.js';
import { signUpOpen } from '../signup/policy.js';
import type { PendingStep } from '../signin/policy.js';
import type { Repos } from '../store/repos.js';
import type { NewSession } from '../store/repos/sessions.js';
import { sessionDevice } from '../http/session-device.js';
import { type Authentication, PASSWORD } from '../signin/assurance.js';
import { assertionOptions } from '../passkeys/ceremonies.js';

const MAX_PASSWORD = 1024;

/** The sign-in form of an interaction; with an error, re-shown after a failed attempt. */
export async function showLogin(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  email: string | undefined,
  failure?: { status: 400 | 401 | 403 | 429; error: Text },
): Promise<Response> {
  const t = pageTranslator(c);
  // Every showing of the form carries a fresh passkey challenge bound to this interaction
  // (it replaces the previous one), for the passkey button and the email field's autofill.
  const passkeyOptions = JSON.stringify(await assertionOptions(scope, 'login', loaded.interaction.id, null));
  return sendPage(
    c,
    LoginPage({
      site: scope,
      t,
      uid: loaded.interaction.id,
      csrf: loaded.interaction.csrfToken,
      clientName: loaded.client ? shownClientName(t, loaded.client) : undefined,
      email,
      error: failure?.error,
      signUp: signUpOpen(scope),
      passkeyOptions,
    }),
    failure?.status,
  );
}

/**
 * The login step's page: prefilled with the login_hint, or with the account chosen in the
 * chooser when that account must prove itself again (max_age, prompt=login).
 */
export async function showLoginStep(c: Context, scope: IssuerScope, loaded: LoadedInteraction): Promise<Response> {
  const { userId, params } = loaded.interaction;
  const chosen = userId ? await scope.repos.users.findById(userId) : undefined;
  return showLogin(c, scope, loaded, chosen?.email ?? params.loginHint);
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
  // Past the login step (consent, the chooser): a second post of the form (back button, double
  // click, replay) signs no one in again; the browser is sent back to the step it is at.
  if (loaded.client && loaded.interaction.prompt !== 'login') {
    await attempt?.cancel();
    return toInteractionPage(c, scope, loaded);
  }
  if (!attempt) return showLogin(c, scope, loaded, email, { status: 400, error: say('login.missing') });

  const minutes = Math.ceil(scope.settings.login.windowSeconds / 60);
  const { user } = attempt;
  if (attempt.refused) {
    await signInOutcome(c, scope, 'throttled', { user: user?.id, reason: attempt.refused });
    return showLogin(c, scope, loaded, email, { status: 429, error: say('login.throttled', { count: minutes }) });
  }
  // An unknown email costs one argon2 verification too, so timing does not tell who has an account.
  const ok = password.length <= MAX_PASSWORD && (await verifyPassword(user?.passwordHash ?? null, password));
  // A failure stays counted: the reservation was it.
  if (!user || !ok) {
    await signInOutcome(c, scope, !user ? 'unknown_account' : 'wrong_password', { user: user?.id });
    return showLogin(c, scope, loaded, email, { status: 401, error: say('login.wrong') });
  }
  // Told only to whoever knows the password: it reveals nothing the password did not.
  if (user.disabled) {
    await signInOutcome(c, scope, 'disabled', { user: user.id });
    return showLogin(c, scope, loaded, email, { status: 403, error: say('login.disabled', { brand: scope.settings.brand.name }) });
  }
  await signInOutcome(c, scope, 'success');
  await attempt.succeeded(user.id);
  await upgradePasswordHash(scope, user, password);
  return finishSignIn(c, scope, loaded, user.id, PASSWORD);
}

/**
 * The end of every first-factor sign-in (a password, a passkey): `userId` proved who they are
 * with `auth`. An account sign-in goes to the account page; an authorization request's gets its
 * session and then its next step (consent, a second factor) or its code.
 */
export async function finishSignIn(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction, userId: string, auth: Authentication): Promise<Response> {
  if (!loaded.client) return signInToAccount(c, scope, loaded, userId, auth);

  // The first factor is proved: the next step is the second factor when the policy asks for one
  // (the session is then stored as this sign-in made it, acr 1fa, and is worth no code until the
  // step raises it), else consent, or the code.
  const now = scope.services.clock();
  const next = await nextFor(c, scope, loaded, { session: { userId, authTime: now, acr: auth.acr }, signedIn: true, accountChosen: true, accounts: 0 });
  const then = next.step === 'done' ? next.scopes : next;
  const previous = scope.cookies.getSession(c);
  // "Use another account" keeps the browser's other accounts; any other login replaces the session.
  const adding = loaded.interaction.reason === 'add_account' && previous !== undefined;
  const signedIn =
    Array.isArray(then) && !previous
      ? await signInWithCode(c, scope, loaded, userId, then, auth)
      : await signInTransaction(c, scope, loaded, userId, then, previous, adding, auth);
  if (signedIn.kept) keepAccounts(c, scope, signedIn.cookieValue, [signedIn.kept, ...scope.cookies.getAccounts(c)]);
  else scope.cookies.setSession(c, signedIn.cookieValue, scope.settings.sessionTtl);
  scope.services.logger.log('info', 'login', { user: userId, client: loaded.client.id });
  if (signedIn.location) return leaveInteraction(c, scope, loaded, signedIn.location);
  return toInteractionPage(c, scope, loaded);
}

interface SignedIn {
  cookieValue: string;
  /** Where to send the browser with its code; undefined when a step is still to be asked. */
  location: string | undefined;
  /** The browser's previous session's cookie, kept beside the new one (add_account). */
  kept?: string | undefined;
}

/** The usual login: no earlier session, nothing to ask. One statement on PostgreSQL (login-commit.ts). */
async function signInWithCode(
  c: Context,
  scope: IssuerScope,
  loaded: LoadedInteraction,
  userId: string,
  scopes: string[],
  auth: Authentication,
): Promise<SignedIn> {
  const now = scope.services.clock();
  const { row: sessionRow, session, cookieValue } = newSession(scope.id, userId, scope.settings.sessionTtl, now, auth, sessionDevice(c, scope));
  const request = loaded.interaction.params;
  const { code, row: codeRow } = newCode(scope.id, codeFor(request, session, scopes), scope.settings.codeTtl, now);
  if (!(await scope.repos.interactions.completeWithLogin(loaded.interaction.id, sessionRow, codeRow))) throw alreadyUsed();
  return { cookieValue, location: codeRedirect(scope, request, code) };
}

/**
 * Any other login, in one transaction: it ends the browser's earlier session (or, when adding
 * an account, keeps it if it is another user's), then issues the code or moves to the next step.
 */
async function signInTransaction(
  c: Context,
  scope: IssuerScope,
  loaded: LoadedInteraction,
  userId: string,
  then: string[] | PendingStep,
  previous: string | undefined,
  adding: boolean,
  auth: Authentication,
): Promise<SignedIn> {
  // Everything a login writes commits at once: the new session, then the code or the next step.
  return scope.transaction(async (repos) => {
    const { session, cookieValue, kept } = await newLoginSession(c, scope, repos, userId, previous, adding, auth);
    if (Array.isArray(then)) return { cookieValue, kept, location: await completeWithCode(scope, repos, loaded, session, then) };
    await repos.interactions.advance(loaded.interaction.id, then.step, userId, session.id, then.reason);
    return { cookieValue, kept, location: undefined };
  });
}

/** The login's session; when adding an account, the previous one is kept unless it is this user's. */
async function newLoginSession(
  c: Context,
  scope: IssuerScope,
  repos: Repos,
  userId: string,
  previous: string | undefined,
  adding: boolean,
  auth: Authentication,
): Promise<NewSession & { kept?: string }> {
  const ttl = scope.settings.sessionTtl;
  const device = sessionDevice(c, scope);
  if (adding && previous) {
    const old = await repos.sessions.findByCookie(previous);
    if (old && old.userId !== userId) return { ...(await repos.sessions.create(userId, ttl, auth, device)), kept: previous };
  }
  return repos.sessions.replace(previous, userId, ttl, auth, device);
}

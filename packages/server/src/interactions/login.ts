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
import { type AnyLoadedInteraction, type LoadedInteraction, interactionId, loadAnyInteraction } from './load.js';
import { completeLogin } from './complete-login.js';
import { PASSWORD } from '../signin/assurance.js';
import { sendPage } from '../http/respond.js';
import { toInteractionPage } from './advance.js';
import { signUpOpen } from '../signup/policy.js';
import { assertionOptions } from '../passkeys/ceremonies.js';
import { POW_FIELD, checkSolution, requireProofOfWork, settleSolution } from '../abuse/proof-of-work.js';
import { emailCodeOffered } from '../abuse/email-code-mail.js';
import { signInButtons } from '../federation/buttons.js';
import { followIdpHint } from '../federation/hint.js';

const MAX_PASSWORD = 1024;

/** The sign-in form of an interaction; with an error, re-shown after a failed attempt. */
export async function showLogin(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  email: string | undefined,
  failure?: { status: 400 | 401 | 403 | 429; error: Text; addressFailures?: number },
): Promise<Response> {
  const t = pageTranslator(c);
  // Every showing of the form carries a fresh passkey challenge bound to this interaction
  // (it replaces the previous one), for the passkey button and the email field's autofill.
  const passkeyOptions = JSON.stringify(await assertionOptions(scope, 'login', loaded.interaction.id, null));
  // Past the threshold of failures from this address (or once refused), the form carries a
  // proof-of-work challenge; after a reserved attempt the count is known, so nothing is read.
  const ip = clientIp(c, scope.services.config.trustProxy);
  const proofOfWork = await requireProofOfWork(scope, ip, { force: failure?.status === 429, addressFailures: failure?.addressFailures });
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
      proofOfWork,
      emailCode: emailCodeOffered(scope),
      upstreams: await signInButtons(scope),
    }),
    failure?.status,
  );
}

/**
 * The login step's page: prefilled with the login_hint, or with the account chosen in the
 * chooser when that account must prove itself again (max_age, prompt=login).
 */
export async function showLoginStep(c: Context, scope: IssuerScope, loaded: LoadedInteraction): Promise<Response> {
  const hinted = await followIdpHint(c, scope, loaded);
  if (hinted) return hinted;
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
  // A proof-of-work solution is checked here (no database) and spent once the form has verified.
  const solution = checkSolution(scope, form.get(POW_FIELD));
  const attempt = email && password ? await throttle.reserve(email, ip, interactionId(c), { solvedChallenge: solution.status === 'solved' }) : undefined;
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
  const powProblem = await settleSolution(c, scope, solution, 'login');
  if (powProblem) {
    await attempt.cancel();
    return showLogin(c, scope, loaded, email, { status: 400, error: powProblem });
  }

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
    return showLogin(c, scope, loaded, email, { status: 401, error: say('login.wrong'), addressFailures: attempt.addressFailures });
  }
  // Told only to whoever knows the password: it reveals nothing the password did not.
  if (user.disabled) {
    await signInOutcome(c, scope, 'disabled', { user: user.id });
    return showLogin(c, scope, loaded, email, { status: 403, error: say('login.disabled', { brand: scope.settings.brand.name }) });
  }
  await signInOutcome(c, scope, 'success');
  await attempt.succeeded(user.id);
  await upgradePasswordHash(scope, user, password);
  return completeLogin(c, scope, loaded, user.id, PASSWORD);
}

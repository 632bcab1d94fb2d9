import type { Context } from 'hono';
import { requireProofOfWork } from '../abuse/proof-of-work.js';
import { hashPassword } from '../auth/password.js';
import { PASSWORD_MAX, PASSWORD_MIN, passwordLengthIssue } from '../auth/password-policy.js';
import { PageError } from '../errors.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { toInteractionPage } from '../interactions/advance.js';
import { type AnyLoadedInteraction, loadAnyInteraction } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';
import { shownClientName } from '../pages/client-name.js';
import { CheckEmailPage, SignUpMessagePage, SignUpPage, signUpCheck } from '../pages/signup.js';
import { type Text, say } from '../pages/translator.js';
import { normalizeEmail } from '../store/repos/users.js';
import { signUpGate } from './gate.js';
import { SIGNUP_MAIL } from './mails.js';
import { VERIFICATION_TTL } from './paths.js';
import { signUpOpen } from './policy.js';

const MAX_EMAIL = 320;
const MAX_NAME = 200;

/** The page saying that this issuer has no self-service sign-up (`off`, or by invitation only). */
function closed(c: Context, scope: IssuerScope): Promise<Response> {
  const brand = scope.settings.brand.name;
  const message = scope.settings.signUp === 'invitation' ? say('signup.invitationOnly', { brand }) : say('signup.closed', { brand });
  return sendPage(c, SignUpMessagePage({ site: scope, t: pageTranslator(c), title: say('signup.closed.title'), message }), 404);
}

/**
 * The form, with a proof-of-work challenge once the client address has crossed the threshold
 * (or after a refused post), as the sign-in form does (abuse/proof-of-work.ts).
 */
async function showForm(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  values: { email?: string; name?: string } = {},
  failure?: { status: 400 | 403 | 429; error: Text },
): Promise<Response> {
  const t = pageTranslator(c);
  const proofOfWork = await requireProofOfWork(scope, clientIp(c, scope.services.config.trustProxy), { force: failure?.status === 429 });
  return sendPage(
    c,
    SignUpPage({
      site: scope,
      t,
      uid: loaded.interaction.id,
      csrf: loaded.interaction.csrfToken,
      clientName: loaded.client ? shownClientName(t, loaded.client) : undefined,
      email: values.email,
      name: values.name,
      error: failure?.error,
      proofOfWork,
    }),
    failure?.status,
  );
}

/** GET /signup: a sign-up without an app, in an account sign-in of its own; it ends on the account page. */
export async function showStandaloneSignUp(c: Context, scope: IssuerScope): Promise<Response> {
  if (!signUpOpen(scope)) return closed(c, scope);
  return showForm(c, scope, await startAccountSignIn(c, scope));
}

/** GET /interaction/:uid/signup: the form, inside the sign-in this browser started. */
export async function showSignUp(c: Context, scope: IssuerScope): Promise<Response> {
  const loaded = await loadAnyInteraction(c, scope);
  if (!signUpOpen(scope)) return closed(c, scope);
  if (loaded.client && loaded.interaction.prompt !== 'login') return toInteractionPage(c, scope, loaded);
  return showForm(c, scope, loaded);
}

/** A sanity check only: the address is proven by the mail, not by its shape. */
function emailProblem(email: string): Text | undefined {
  const parts = email.split('@');
  if (email.length > MAX_EMAIL || parts.length !== 2 || !parts[0] || !parts[1] || /[\s\p{Cc}]/u.test(email)) return say('signup.badEmail');
  return undefined;
}

function nameProblem(name: string): Text | undefined {
  return name.length > MAX_NAME || /\p{Cc}/u.test(name) ? say('signup.badName') : undefined;
}

function passwordProblem(password: string): Text | undefined {
  const issue = passwordLengthIssue(password);
  if (issue === 'short') return say('password.tooShort', { count: PASSWORD_MIN });
  if (issue === 'long') return say('password.tooLong', { count: PASSWORD_MAX });
  return undefined;
}

/**
 * POST /interaction/:uid/signup. Whether or not the address has an account, the answer is the
 * same page with the same status, after the same work: the password is hashed, a pending
 * verification stored and one mail queued. What the mail says (a code and a link, or a warning
 * to the address's owner) is decided when it is sent, after the answer (signup/mails.ts). No
 * user exists until the address is proven, so an unproven sign-up can neither sign in nor
 * stand in the way of the address's real owner.
 */
export async function handleSignUp(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded = await loadAnyInteraction(c, scope, form.get('csrf'));
  if (!signUpOpen(scope)) return closed(c, scope);
  if (loaded.client && loaded.interaction.prompt !== 'login') return toInteractionPage(c, scope, loaded);
  const outbox = scope.services.outbox;
  if (!outbox) throw new PageError(say('error.unexpected'), { status: 500 });

  const email = (form.get('email') ?? '').trim().slice(0, MAX_EMAIL + 1);
  const name = (form.get('name') ?? '').trim().slice(0, MAX_NAME + 1);
  const password = form.get('password') ?? '';
  const values = { email: email.slice(0, MAX_EMAIL), name: name.slice(0, MAX_NAME) };
  if (email === '' || name === '' || password === '') return showForm(c, scope, loaded, values, { status: 400, error: say('signup.missing') });
  const problem = emailProblem(email) ?? nameProblem(name) ?? passwordProblem(password);
  if (problem) return showForm(c, scope, loaded, values, { status: 400, error: problem });
  const refusal = await signUpGate(c, scope, { email, password, form });
  if (refusal) return showForm(c, scope, loaded, values, refusal);

  const t = pageTranslator(c);
  const passwordHash = await hashPassword(password);
  const id = await scope.repos.emailVerifications.create(
    { purpose: 'sign_up', email: normalizeEmail(email), name, passwordHash, interactionId: loaded.interaction.id, locale: t.locale },
    VERIFICATION_TTL,
  );
  // The sign-in waits for the code as long as the code works (it lasts 10 minutes otherwise),
  // and so does this browser's cookie for it, which it just sent.
  await scope.repos.interactions.keepUntil(loaded.interaction.id, scope.services.clock() + VERIFICATION_TTL);
  const browserSecret = scope.cookies.getInteraction(c);
  if (browserSecret) scope.cookies.setInteraction(c, loaded.interaction.id, browserSecret, VERIFICATION_TTL);
  // The mail is written in the language of this page.
  await outbox.enqueue(SIGNUP_MAIL, email, scope.id, t.locale, { verification: id });
  return sendPage(c, CheckEmailPage({ site: scope, t, ...signUpCheck(loaded.interaction.id, email, loaded.interaction.csrfToken) }));
}

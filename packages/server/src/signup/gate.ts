import type { Context } from 'hono';
import { checkNewPassword } from '../abuse/breached.js';
import { POW_FIELD, noteSignUpAttempt, verifyProofOfWork } from '../abuse/proof-of-work.js';
import { clientIp } from '../http/client-ip.js';
import { logSecurityEvent } from '../http/request-log.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Text, say } from '../pages/translator.js';
import { normalizeEmail } from '../store/repos/users.js';

const WINDOW_SECONDS = 3600;
/** Sign-ups one address may be sent a mail for per hour: a lost mail or two, too few to flood a mailbox. */
const PER_EMAIL = 3;
/** Sign-ups one client address may ask for per hour, whatever the emails. */
const PER_CLIENT = 20;
/**
 * With a solved proof-of-work challenge a client address may go on to this many: a shared
 * address (an office, a campus) whose people's browsers run the check is not stopped at
 * PER_CLIENT, while every sign-up past it costs the sender real CPU; still bounded, because each
 * one costs the server an argon2 hash and a mail.
 */
const PER_CLIENT_SOLVED = PER_CLIENT * 5;

/** A sign-up refused before any work was done for it, with the message the form shows. */
export interface SignUpRefusal {
  status: 400 | 403 | 429;
  error: Text;
}

/** What the gate sees of a sign-up whose fields are well formed. */
export interface SignUpCandidate {
  email: string;
  password: string;
  /** The whole form, for checks that add fields of their own (a proof-of-work solution). */
  form: URLSearchParams;
}

/**
 * The checks a well-formed sign-up passes before the password is hashed, the pending row
 * written and the mail queued, in this order:
 *
 * 1. A proof-of-work solution, when the form carried one (abuse/proof-of-work.ts): a wrong one
 *    refuses the post (400) before anything is counted; none (a browser without JavaScript, or
 *    a form shown before the address crossed the threshold) leaves the decision to the throttle.
 * 2. The attempt is counted towards the proof-of-work threshold of the client address.
 * 3. The throttle per client address: PER_CLIENT an hour, PER_CLIENT_SOLVED with a solution.
 * 4. The breached-password check (after the client throttle, so the form is no free oracle
 *    and sends no unbounded range requests; before the per-email count, so someone told to
 *    choose another password does not use up the few mails their address may be sent).
 * 5. The throttle per email, counted whether or not the address has an account.
 *
 * Nothing here may depend on whether the address has an account: every step reads only the
 * client address, the password or the counters of the typed address.
 */
export async function signUpGate(c: Context, scope: IssuerScope, candidate: SignUpCandidate): Promise<SignUpRefusal | undefined> {
  const { rateLimits } = scope.repos;
  const ip = clientIp(c, scope.services.config.trustProxy);
  const proof = await verifyProofOfWork(c, scope, candidate.form.get(POW_FIELD), 'signup');
  if (proof !== 'ok' && proof !== 'missing') return { status: 400, error: proof };
  await noteSignUpAttempt(scope, ip);
  const clientCount = await rateLimits.hit(`signup:ip:${ip.slice(0, 64)}`, WINDOW_SECONDS);
  if (clientCount > (proof === 'ok' ? PER_CLIENT_SOLVED : PER_CLIENT)) return throttled(c, 'client');
  const breached = await checkNewPassword(scope, candidate.password, { place: 'signup', address: ip });
  if (breached) return { status: 400, error: breached };
  if ((await rateLimits.hit(`signup:email:${normalizeEmail(candidate.email).slice(0, 320)}`, WINDOW_SECONDS)) > PER_EMAIL) return throttled(c, 'email');
  return undefined;
}

function throttled(c: Context, limit: 'client' | 'email'): SignUpRefusal {
  logSecurityEvent(c, 'warn', 'sign_up_throttled', { limit });
  return { status: 429, error: say('signup.throttled') };
}

/** Limits changes of address one user may ask for: each mails an address they typed. */
export async function emailChangeAllowed(scope: IssuerScope, userId: string): Promise<boolean> {
  return (await scope.repos.rateLimits.hit(`email-change:user:${userId}`, WINDOW_SECONDS)) <= PER_EMAIL;
}

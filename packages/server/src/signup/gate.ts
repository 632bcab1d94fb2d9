import type { Context } from 'hono';
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
 * The one check a well-formed sign-up passes before the password is hashed, the pending row
 * written and the mail queued: the throttle per client address and per email (counted whether
 * or not the address has an account, so being limited tells nothing). Abuse checks (a breached
 * password, a proof-of-work challenge) belong here too, before the throttle counts the post.
 * Nothing here may depend on whether the address has an account.
 */
export async function signUpGate(c: Context, scope: IssuerScope, candidate: SignUpCandidate): Promise<SignUpRefusal | undefined> {
  const { rateLimits } = scope.repos;
  const ip = clientIp(c, scope.services.config.trustProxy);
  const throttled =
    (await rateLimits.hit(`signup:ip:${ip.slice(0, 64)}`, WINDOW_SECONDS)) > PER_CLIENT ||
    (await rateLimits.hit(`signup:email:${normalizeEmail(candidate.email).slice(0, 320)}`, WINDOW_SECONDS)) > PER_EMAIL;
  if (throttled) {
    logSecurityEvent(c, 'warn', 'sign_up_throttled');
    return { status: 429, error: say('signup.throttled') };
  }
  return undefined;
}

/** Limits changes of address one user may ask for: each mails an address they typed. */
export async function emailChangeAllowed(scope: IssuerScope, userId: string): Promise<boolean> {
  return (await scope.repos.rateLimits.hit(`email-change:user:${userId}`, WINDOW_SECONDS)) <= PER_EMAIL;
}

import type { AuthorizationRequest } from '../authorize/request.js';
import type { Session } from '../store/repos/sessions.js';

/** The steps an authorization request's interaction can wait on; each is a module (interactions/steps.ts). */
export type StepName = 'login' | 'select_account' | 'mfa' | 'consent';

/**
 * Why a step is asked, stored with the interaction and logged. The last three have no step yet:
 * they are named so the accounts and federation issues add a second factor, email verification
 * and upstream sign-in as steps without reshaping the policy.
 */
export type StepReason =
  | 'no_session'
  | 'max_age'
  | 'login_prompt'
  | 'hint_mismatch'
  | 'select_account'
  | 'add_account'
  | 'consent_missing'
  | 'consent_prompt'
  | 'mfa_required'
  | 'email_unverified'
  | 'upstream';

export interface PendingStep {
  step: StepName;
  reason: StepReason;
}

export type NextStep = PendingStep | { step: 'done'; scopes: string[] };

/** Where an authorization request stands, as the policy sees it. */
export interface SignInState {
  request: AuthorizationRequest;
  /** The session the request would use now: the browser's, the one just chosen, or just made. */
  session: (Pick<Session, 'userId' | 'authTime'> & Partial<Pick<Session, 'acr'>>) | undefined;
  /** The user proved who they are in this interaction: the prompts asking for it are met. */
  signedIn: boolean;
  /** The user picked the account in this interaction (the chooser). */
  accountChosen: boolean;
  /** How many accounts this browser may be signed in to at the issuer (0 without any cookie). */
  accounts: number;
  now: number;
}

/** Whether the session may be used without the user proving who they are again (OIDC Core §3.1.2.1). */
export function authenticationStep(state: SignInState): PendingStep | undefined {
  const { request, session } = state;
  if (state.signedIn) return undefined;
  if (request.prompts.includes('select_account') && !state.accountChosen) {
    return state.accounts > 0 ? { step: 'select_account', reason: 'select_account' } : { step: 'login', reason: 'no_session' };
  }
  if (!session) return { step: 'login', reason: 'no_session' };
  if (request.prompts.includes('login')) return { step: 'login', reason: 'login_prompt' };
  // max_age=0 is prompt=login (OIDC Core errata 2): with `>` alone a session from this second passed.
  if (request.maxAge === 0 || (request.maxAge !== undefined && state.now - session.authTime > request.maxAge)) {
    return { step: 'login', reason: 'max_age' };
  }
  if (request.hintSub !== undefined && request.hintSub !== session.userId) return { step: 'login', reason: 'hint_mismatch' };
  return undefined;
}

/**
 * Whether the session still owes a second factor: `due` says whether this request asks for one
 * of this user (factors/need.ts: the issuer's, organizations' and client's policies, step-up,
 * a remembered device). A session that proved two factors owes nothing.
 */
export type SecondFactorDue = (session: NonNullable<SignInState['session']>) => Promise<boolean>;

/**
 * The next step of a sign-in, or the scopes the code is issued for. `consented` gives the scopes
 * the user approved before (undefined: consent must be asked); it is read only once nothing is
 * left to prove, so a sign-in that ends at the login page spends no consent read. The second
 * factor comes after the first and before consent: a session with one factor where two are due
 * is never used for a code, silently or not.
 */
export async function nextStep(
  state: SignInState,
  consented: (userId: string) => Promise<string[] | undefined>,
  secondFactorDue?: SecondFactorDue,
): Promise<NextStep> {
  const pending = authenticationStep(state);
  if (pending || !state.session) return pending ?? { step: 'login', reason: 'no_session' };
  if (secondFactorDue && (await secondFactorDue(state.session))) return { step: 'mfa', reason: 'mfa_required' };
  const scopes = await consented(state.session.userId);
  if (scopes) return { step: 'done', scopes };
  return { step: 'consent', reason: state.request.prompts.includes('consent') ? 'consent_prompt' : 'consent_missing' };
}

import type { Context } from 'hono';
import type { IssuerScope } from '../issuers/scope.js';
import type { StepName } from '../signin/policy.js';
import { handleConsent, showConsent } from './consent.js';
import type { LoadedInteraction } from './load.js';
import { handleLogin, showLoginStep } from './login.js';
import { handleMfa, showMfa } from './mfa.js';
import { handleSelectAccount, showSelectAccount } from './select-account.js';

/** One step of a sign-in: its page, and the POST /interaction/:uid/<name> that completes it. */
export interface Step {
  show(c: Context, scope: IssuerScope, loaded: LoadedInteraction): Promise<Response>;
  handle(c: Context, scope: IssuerScope): Promise<Response>;
}

/**
 * Every step an interaction can wait on (signin/policy.ts decides which). A new way to sign in
 * (a second factor, an upstream provider) is one more entry here and one more step name.
 */
export const STEPS: Readonly<Record<StepName, Step>> = {
  login: { show: showLoginStep, handle: handleLogin },
  select_account: { show: showSelectAccount, handle: handleSelectAccount },
  mfa: { show: showMfa, handle: handleMfa },
  consent: { show: showConsent, handle: handleConsent },
};

export function isStepName(name: string): name is StepName {
  return Object.hasOwn(STEPS, name);
}

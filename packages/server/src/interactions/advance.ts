import type { Context } from 'hono';
import { consentedScopes } from '../authorize/decide.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type NextStep, type PendingStep, type SignInState, nextStep } from '../signin/policy.js';
import type { Session } from '../store/repos/sessions.js';
import { seeOther } from '../http/respond.js';
import { secondFactorDue } from '../factors/need.js';
import { completeWithCode, leaveInteraction } from './finish.js';
import type { LoadedInteraction } from './load.js';

/** What the policy says comes next for an interaction's request, in the state a step left it. */
export function nextFor(c: Context, scope: IssuerScope, loaded: LoadedInteraction, state: Omit<SignInState, 'request' | 'now'>): Promise<NextStep> {
  const request = loaded.interaction.params;
  return nextStep(
    { ...state, request, now: scope.services.clock() },
    (userId) => consentedScopes(scope, loaded.client, userId, request),
    secondFactorDue(c, scope, loaded.client, request),
  );
}

/** To the page the interaction waits on now (its GET shows the current step). */
export function toInteractionPage(c: Context, scope: IssuerScope, loaded: { interaction: { id: string } }): Response {
  return seeOther(c, `${scope.url}/interaction/${loaded.interaction.id}`);
}

/**
 * Moves an interaction on after a step that did not sign anyone in (the chooser, "Not you?"):
 * to the next step's page, or, with nothing left to ask, to the client with its code. `session`
 * is the one the request now uses; `userId` whom a login step is for (a chosen account).
 */
export async function moveOn(c: Context, scope: IssuerScope, loaded: LoadedInteraction, next: NextStep, session: Session | undefined): Promise<Response> {
  if (next.step === 'done') {
    if (!session) throw new Error('a finished sign-in has a session');
    const location = await scope.transaction((repos) => completeWithCode(scope, repos, loaded, session, next.scopes));
    return leaveInteraction(c, scope, loaded, location);
  }
  await goTo(scope, loaded, next, session);
  return toInteractionPage(c, scope, loaded);
}

/** Stores the step the interaction now waits on, for the session's user (consent, mfa) or the chosen one (login). */
export async function goTo(scope: IssuerScope, loaded: LoadedInteraction, next: PendingStep, session: Session | undefined): Promise<void> {
  const sessionId = next.step === 'consent' || next.step === 'mfa' ? (session?.id ?? null) : null;
  await scope.repos.interactions.advance(loaded.interaction.id, next.step, session?.userId ?? null, sessionId, next.reason);
  scope.services.logger.log('debug', 'interaction step', { step: next.step, reason: next.reason, client: loaded.client.id });
}

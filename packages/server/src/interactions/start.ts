import type { Context } from 'hono';
import type { AuthorizationRequest } from '../authorize/request.js';
import type { ActiveSession } from '../http/session.js';
import { useAskedLocale } from '../http/locale.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { PendingStep } from '../signin/policy.js';
import type { Client } from '../store/repos/clients.js';
import type { LoadedInteraction } from './load.js';

/**
 * Pauses an authorization request for the hosted pages at the step the policy chose: stores it
 * and binds it to this browser by a cookie. Only consent and the second factor are asked of the browser's session.
 */
export async function startInteraction(
  c: Context,
  scope: IssuerScope,
  request: AuthorizationRequest,
  client: Client,
  step: PendingStep,
  active: ActiveSession | undefined,
): Promise<LoadedInteraction> {
  const ttl = scope.services.config.interactionTtl;
  // The second factor is asked of the browser's session too: it proved the first.
  const signedIn = step.step === 'consent' || step.step === 'mfa' ? active : undefined;
  const { interaction, browserSecret } = await scope.repos.interactions.create(
    request,
    step.step,
    ttl,
    signedIn?.user.id ?? null,
    signedIn?.session.id ?? null,
    step.reason,
  );
  scope.cookies.setInteraction(c, interaction.id, browserSecret, ttl);
  useAskedLocale(c, request.uiLocale);
  return { interaction, client };
}

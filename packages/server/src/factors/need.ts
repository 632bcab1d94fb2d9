import type { Context } from 'hono';
import type { AuthorizationRequest } from '../authorize/request.js';
import type { IssuerScope } from '../issuers/scope.js';
import { ACR_TWO_FACTORS } from '../signin/assurance.js';
import { type MfaFacts, factorDue, factorPossible, factorRequired } from '../signin/mfa-policy.js';
import type { SecondFactorDue } from '../signin/policy.js';
import type { Client } from '../store/repos/clients.js';
import { hasSecondFactor } from './registry.js';
import { isRememberedDevice } from './remember-device.js';

/** What this request's policy says about the user, read lazily (the organizations first, the factors only if needed). */
async function factsFor(scope: IssuerScope, userId: string, client: Client | undefined, request: AuthorizationRequest | undefined): Promise<MfaFacts> {
  return {
    issuer: scope.settings.mfa,
    client: client?.requireMfa ?? false,
    // The account pages (no request) manage the factors themselves: a user who has one proves
    // it there whatever the policy, so a password alone cannot remove or replace it.
    stepUp: request ? (request.acrValues?.includes(ACR_TWO_FACTORS) ?? false) : true,
    organization: await scope.repos.mfaPolicies.strictestForMember(userId),
  };
}

/**
 * Whether the session owes its second factor for this request (signin/policy.ts asks): never
 * when it proved two factors already; else as signin/mfa-policy.ts decides, except on a
 * remembered device, which counts only for requests that ask no step-up (acr_values, max_age).
 * `client` and `request` are undefined for the account pages and their sign-in, which ask the
 * factor of every user who has one.
 */
export function secondFactorDue(c: Context, scope: IssuerScope, client?: Client, request?: AuthorizationRequest): SecondFactorDue {
  return async (session) => {
    if (session.acr === ACR_TWO_FACTORS) return false;
    const facts = await factsFor(scope, session.userId, client, request);
    if (!factorPossible(facts)) return false;
    const enrolled = await hasSecondFactor(scope, session.userId);
    if (!factorDue(facts, enrolled)) return false;
    const stepUp = request?.acrValues !== undefined || request?.maxAge !== undefined;
    if (!stepUp && enrolled && (await isRememberedDevice(c, scope, session.userId))) return false;
    return true;
  };
}

/** Whether the user must keep a second factor (the issuer or one of their organizations requires one): the last cannot be removed. */
export async function mustKeepFactor(scope: IssuerScope, userId: string): Promise<boolean> {
  const organization = await scope.repos.mfaPolicies.strictestForMember(userId);
  return factorRequired({ issuer: scope.settings.mfa, organization, client: false });
}

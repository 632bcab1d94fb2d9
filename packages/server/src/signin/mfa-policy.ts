import type { MfaPolicy } from '../issuers/settings.js';

/**
 * What decides whether a sign-in asks for a second factor (docs/accounts.md, "Second factors
 * and MFA policy"). Gathered per request by factors/need.ts; decided here, without I/O.
 */
export interface MfaFacts {
  /** The issuer's setting. */
  issuer: MfaPolicy;
  /** The strictest policy of the user's organizations. */
  organization: MfaPolicy;
  /** The client asks for a second factor on every sign-in (`require_mfa`); false for the account pages. */
  client: boolean;
  /** The request asked for the two-factor level with `acr_values`, or `acr` in its `claims` parameter (step-up). */
  stepUp: boolean;
}

/** Whether the user must have a second factor at all (a user without one enrols one in the sign-in). */
export function factorRequired(facts: Omit<MfaFacts, 'stepUp'>): boolean {
  return facts.issuer === 'required' || facts.organization === 'required' || facts.client;
}

/**
 * Whether the sign-in asks for the second factor, given whether the user has one enrolled:
 * - required (issuer, organization or client): always; without a factor the user enrols one;
 * - optional (issuer or organization), or a step-up request: when the user has one. OIDC Core
 *   makes `acr_values` a voluntary claim, so a user without a factor continues at one factor and
 *   the ID token's `acr` says so; the app decides what to do with that.
 */
export function factorDue(facts: MfaFacts, enrolled: boolean): boolean {
  if (factorRequired(facts)) return true;
  const wanted = facts.issuer === 'optional' || facts.organization === 'optional' || facts.stepUp;
  return wanted && enrolled;
}

/** Whether anything could make a factor due, before asking whether the user has one (saves the reads). */
export function factorPossible(facts: MfaFacts): boolean {
  return factorRequired(facts) || facts.issuer === 'optional' || facts.organization === 'optional' || facts.stepUp;
}

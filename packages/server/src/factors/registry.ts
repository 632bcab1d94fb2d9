import type { IssuerScope } from '../issuers/scope.js';
import { WALLET_FACTOR } from '../wallets/factor.js';
import type { FactorKind, SecondFactor } from './factor.js';
import { RECOVERY_FACTOR } from './recovery-factor.js';
import { TOTP_FACTOR } from './totp-factor.js';
import { PASSKEY_FACTOR } from '../passkeys/factor.js';

/**
 * Every second factor, in the order the `mfa` step offers them (the strongest first). One line
 * per factor module. Recovery codes come last: they stand in for another factor.
 */
export const FACTORS: readonly SecondFactor[] = [PASSKEY_FACTOR, TOTP_FACTOR, WALLET_FACTOR, RECOVERY_FACTOR];

export function factorOf(kind: string): SecondFactor | undefined {
  return FACTORS.find((factor) => factor.kind === (kind as FactorKind));
}

/** Kinds that only stand in for another factor: alone they do not make a user "have a second factor". */
const STAND_INS: ReadonlySet<FactorKind> = new Set<FactorKind>(['recovery']);

/** The factors the user can prove now, in the order the step offers them; stand-ins only beside a real one. */
export async function enrolledFactors(scope: IssuerScope, userId: string): Promise<SecondFactor[]> {
  const enrolled: SecondFactor[] = [];
  for (const factor of FACTORS) if (await factor.enrolled(scope, userId)) enrolled.push(factor);
  return enrolled.some((f) => !STAND_INS.has(f.kind)) ? enrolled : [];
}

/** Whether the user has a second factor (one that is not only a stand-in). */
export async function hasSecondFactor(scope: IssuerScope, userId: string): Promise<boolean> {
  for (const factor of FACTORS) if (!STAND_INS.has(factor.kind) && (await factor.enrolled(scope, userId))) return true;
  return false;
}

import { WALLET_FACTOR } from '../wallets/factor.js';
import type { FactorKind, SecondFactor } from './factor.js';

/**
 * Every second factor, in the order the `mfa` step offers them (the strongest first). One line
 * per factor module.
 */
export const FACTORS: readonly SecondFactor[] = [WALLET_FACTOR];

export function factorOf(kind: string): SecondFactor | undefined {
  return FACTORS.find((factor) => factor.kind === (kind as FactorKind));
}

import type { IssuerScope } from '../issuers/scope.js';

/**
 * An operator's reset of a user's authenticator app and recovery codes (a lost phone and lost
 * codes): both go, with an `mfa.factor_removed` event in the same transaction (the actor is the
 * caller's: `cli`). The password still signs in; a policy that requires a factor makes the user
 * set one up at the next sign-in. Passkeys and wallets have their own removal.
 */
export async function resetSecondFactors(scope: IssuerScope, userId: string): Promise<{ totp: boolean; recoveryCodes: number }> {
  return scope.transaction(async (repos) => {
    const recoveryCodes = await repos.recoveryCodes.remaining(userId);
    const totp = await repos.totpFactors.remove(userId);
    await repos.recoveryCodes.removeAll(userId);
    if (totp) await repos.events.record({ type: 'mfa.factor_removed', userId, payload: { factor: 'totp' } });
    if (recoveryCodes > 0) await repos.events.record({ type: 'mfa.factor_removed', userId, payload: { factor: 'recovery' } });
    return { totp, recoveryCodes };
  });
}

import { hashPassword } from '../auth/password.js';
import type { IssuerScope } from '../issuers/scope.js';
import { endUserSessions } from '../services/sessions.js';

/**
 * Sets a new password through a reset token, in one transaction: the token (and every other
 * pending one of the user) is spent, the hash replaced and every session ended, as
 * `gatehouse user set-password` does; so the link works once, and a browser someone else signed
 * in with the old password is signed out. False when the token is not (or no longer) good or
 * the account is disabled: nothing changes then, beyond the token being spent.
 */
export async function changePasswordWithToken(scope: IssuerScope, token: string, password: string): Promise<boolean> {
  // Hashed before the transaction, which would otherwise hold its locks through argon2's work.
  const passwordHash = await hashPassword(password);
  const userId = await scope.transaction(async (repos) => {
    const owner = await repos.passwordResets.spend(token);
    if (owner === undefined) return undefined;
    const user = await repos.users.findById(owner);
    if (!user || user.disabled) return undefined;
    await repos.users.setPasswordHash(user.id, passwordHash);
    // The link came by mail to this address: using it proves the address (an invitation's too).
    if (!user.emailVerified) await repos.users.update(user.id, { emailVerified: true });
    await endUserSessions(repos, user.id, 'password_changed');
    return user.id;
  });
  if (userId === undefined) return false;
  scope.services.backchannel.wake();
  scope.services.logger.log('info', 'password_reset', { user: userId });
  return true;
}

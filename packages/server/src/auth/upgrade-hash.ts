import type { IssuerScope } from '../issuers/scope.js';
import type { User } from '../store/repos/users.js';
import { describeError } from '../log.js';
import { hashPassword, needsRehash } from './password.js';

/**
 * After a password has been verified: a stored hash made with other argon2id parameters than
 * today's is replaced by one made with them, so raising the cost (or a new default) reaches
 * every account that signs in. The sign-in goes on whatever happens here: the old hash still
 * matches, so a failure is logged and the next sign-in tries again.
 */
export async function upgradePasswordHash(scope: IssuerScope, user: User, password: string): Promise<void> {
  if (!user.passwordHash || !needsRehash(user.passwordHash)) return;
  try {
    const replaced = await scope.repos.users.replacePasswordHash(user.id, user.passwordHash, await hashPassword(password));
    if (replaced) scope.services.logger.log('info', 'password_rehashed', { user: user.id });
  } catch (error) {
    scope.services.logger.log('warn', 'password_rehash_failed', { user: user.id, ...describeError(error) });
  }
}

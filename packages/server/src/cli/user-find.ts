import type { Repos } from '../store/repos.js';
import type { User } from '../store/repos/users.js';

/** Ids never contain "@", so an "@" means email; the other lookup is the fallback either way. */
export async function findUser(repos: Repos, idOrEmail: string): Promise<User> {
  const byEmail = idOrEmail.includes('@');
  const user = byEmail
    ? ((await repos.users.findByEmail(idOrEmail)) ?? (await repos.users.findById(idOrEmail)))
    : ((await repos.users.findById(idOrEmail)) ?? (await repos.users.findByEmail(idOrEmail)));
  if (!user) throw new Error(`no user with id or email "${idOrEmail}"`);
  return user;
}

import type { Context } from 'hono';
import type { IssuerScope } from '../issuers/scope.js';
import type { Session } from '../store/repos/sessions.js';
import type { User } from '../store/repos/users.js';

export interface ActiveSession {
  session: Session;
  user: User;
}

/** The browser's live session, if its cookie names one whose user may still sign in. */
export async function currentSession(c: Context, scope: IssuerScope): Promise<ActiveSession | undefined> {
  const cookie = scope.cookies.getSession(c);
  if (!cookie || cookie.length > 100) return undefined;
  const session = await scope.repos.sessions.findByCookie(cookie);
  if (!session) return undefined;
  const user = await scope.repos.users.findById(session.userId);
  if (!user || user.disabled) return undefined;
  return { session, user };
}

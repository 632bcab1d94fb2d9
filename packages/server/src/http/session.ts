import type { Context } from 'hono';
import type { IssuerScope } from '../issuers/scope.js';
import type { Session } from '../store/repos/sessions.js';
import type { User } from '../store/repos/users.js';

export interface ActiveSession {
  session: Session;
  user: User;
}

/** The live session behind a session cookie's value, if its user may still sign in. */
export async function activeSession(scope: IssuerScope, cookie: string | undefined): Promise<ActiveSession | undefined> {
  if (!cookie || cookie.length > 100) return undefined;
  const session = await scope.repos.sessions.findByCookie(cookie);
  if (!session) return undefined;
  const user = await scope.repos.users.findById(session.userId);
  if (!user || user.disabled) return undefined;
  // At most one write per few minutes (LAST_SEEN_STEP), for the sessions page's "last seen".
  await scope.repos.sessions.touch(session);
  return { session, user };
}

/** The browser's live session, if its cookie names one whose user may still sign in. */
export function currentSession(c: Context, scope: IssuerScope): Promise<ActiveSession | undefined> {
  return activeSession(scope, scope.cookies.getSession(c));
}

import type { Context } from 'hono';
import { type ActiveSession, currentSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { secondFactorDue } from './need.js';

/**
 * The browser's session as the account pages accept it: live, and not owing a second factor
 * the issuer's or the user's organizations' policy asks for. A session left with one factor (a
 * sign-in abandoned at the `mfa` step) is not signed in here; it gets the account sign-in.
 */
export async function accountSession(c: Context, scope: IssuerScope): Promise<ActiveSession | undefined> {
  const active = await currentSession(c, scope);
  if (!active) return undefined;
  if (await secondFactorDue(c, scope)(active.session)) return undefined;
  return active;
}

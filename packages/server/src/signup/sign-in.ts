import type { Context } from 'hono';
import { nextFor, toInteractionPage } from '../interactions/advance.js';
import { signInToAccount } from '../interactions/account-sign-in.js';
import { completeWithCode, leaveInteraction } from '../interactions/finish.js';
import type { AnyLoadedInteraction } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';

/**
 * Signs in the person whose sign-up was just verified, in the sign-in they started it in, and
 * moves that sign-in on as a password sign-in would (interactions/login.ts): to the account
 * page for an account sign-up; for an app, to its next step (consent) or back to the app with
 * its code. The verified address and the password chosen with it are the first factor.
 */
export async function signInAfterSignUp(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction, userId: string): Promise<Response> {
  if (!loaded.client) return signInToAccount(c, scope, loaded, userId);
  // Past the login step already (another tab signed in): nothing to sign in again.
  if (loaded.interaction.prompt !== 'login') return toInteractionPage(c, scope, loaded);
  const now = scope.services.clock();
  const next = await nextFor(c, scope, loaded, { session: { userId, authTime: now }, signedIn: true, accountChosen: true, accounts: 0 });
  const then = next.step === 'done' ? next.scopes : next;
  const previous = scope.cookies.getSession(c);
  const ttl = scope.settings.sessionTtl;
  // The session and the code (or the next step) commit at once, as a login's do.
  const signedIn = await scope.transaction(async (repos) => {
    const { session, cookieValue } = await repos.sessions.replace(previous, userId, ttl);
    if (Array.isArray(then)) return { cookieValue, location: await completeWithCode(scope, repos, loaded, session, then) };
    await repos.interactions.advance(loaded.interaction.id, then.step, userId, session.id, then.reason);
    return { cookieValue, location: undefined };
  });
  scope.cookies.setSession(c, signedIn.cookieValue, ttl);
  scope.services.logger.log('info', 'login', { user: userId, client: loaded.client.id, sign_up: true });
  if (signedIn.location) return leaveInteraction(c, scope, loaded, signedIn.location);
  return toInteractionPage(c, scope, loaded);
}

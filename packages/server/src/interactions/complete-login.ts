import type { Context } from 'hono';
import { codeFor, codeRedirect } from '../authorize/respond.js';
import { PageError } from '../errors.js';
import { FEDERATED_AMR } from '../federation/amr.js';
import { ssoRefusal } from '../federation/sso.js';
import { keepAccounts } from '../http/browser-accounts.js';
import { sessionDevice } from '../http/session-device.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Authentication } from '../signin/assurance.js';
import type { PendingStep } from '../signin/policy.js';
import type { Repos } from '../store/repos.js';
import { newCode } from '../store/repos/codes.js';
import { type NewSession, newSession } from '../store/repos/sessions.js';
import { signInToAccount } from './account-sign-in.js';
import { nextFor, toInteractionPage } from './advance.js';
import { alreadyUsed, completeWithCode, leaveInteraction } from './finish.js';
import type { AnyLoadedInteraction, LoadedInteraction } from './load.js';

/**
 * What a sign-in method writes with the session it ends in (its event, a change it proved), in
 * the session's own transaction: if the session is not stored, neither is it.
 */
export type WithSession = (repos: Repos) => Promise<void>;

/**
 * The end of every first-factor sign-in (a password, a passkey): `userId` proved who they are
 * with `auth`. An account sign-in goes to the account page; an authorization request's gets its
 * session and then its next step (consent, a second factor) or its code. `withSession` runs in
 * the transaction that stores the session.
 */
export async function completeLogin(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  userId: string,
  auth: Authentication,
  withSession?: WithSession,
): Promise<Response> {
  // A member of an organization that requires its provider signs in through it only; an upstream
  // sign-in (amr `fed`) was checked against its own provider before (federation/accounts.ts).
  if (!auth.amr.includes(FEDERATED_AMR)) {
    const refusal = await ssoRefusal(scope, userId, undefined);
    if (refusal) throw new PageError(refusal, { status: 403 });
  }
  if (!loaded.client) return signInToAccount(c, scope, loaded, userId, auth, withSession);

  // The first factor is proved: the next step is the second factor when the policy asks for one
  // (the session is then stored as this sign-in made it, acr 1fa, and is worth no code until the
  // step raises it), else consent, or the code.
  const now = scope.services.clock();
  const next = await nextFor(c, scope, loaded, { session: { userId, authTime: now, acr: auth.acr }, signedIn: true, accountChosen: true, accounts: 0 });
  const then = next.step === 'done' ? next.scopes : next;
  const previous = scope.cookies.getSession(c);
  // "Use another account" keeps the browser's other accounts; any other login replaces the session.
  const adding = loaded.interaction.reason === 'add_account' && previous !== undefined;
  // The one-statement login has no room for more writes: with some, the transaction does it all.
  const signedIn =
    Array.isArray(then) && !previous && !withSession
      ? await signInWithCode(c, scope, loaded, userId, then, auth)
      : await signInTransaction(c, scope, loaded, userId, then, previous, adding, auth, withSession);
  if (signedIn.kept) keepAccounts(c, scope, signedIn.cookieValue, [signedIn.kept, ...scope.cookies.getAccounts(c)]);
  else scope.cookies.setSession(c, signedIn.cookieValue, scope.settings.sessionTtl);
  scope.services.logger.log('info', 'login', { user: userId, client: loaded.client.id });
  if (signedIn.location) return leaveInteraction(c, scope, loaded, signedIn.location);
  return toInteractionPage(c, scope, loaded);
}

interface SignedIn {
  cookieValue: string;
  /** Where to send the browser with its code; undefined when a step is still to be asked. */
  location: string | undefined;
  /** The browser's previous session's cookie, kept beside the new one (add_account). */
  kept?: string | undefined;
}

/** The usual login: no earlier session, nothing to ask. One statement on PostgreSQL (login-commit.ts). */
async function signInWithCode(
  c: Context,
  scope: IssuerScope,
  loaded: LoadedInteraction,
  userId: string,
  scopes: string[],
  auth: Authentication,
): Promise<SignedIn> {
  const now = scope.services.clock();
  const { row: sessionRow, session, cookieValue } = newSession(scope.id, userId, scope.settings.sessionTtl, now, auth, sessionDevice(c, scope));
  const request = loaded.interaction.params;
  const { code, row: codeRow } = newCode(scope.id, codeFor(request, session, scopes), scope.settings.codeTtl, now);
  if (!(await scope.repos.interactions.completeWithLogin(loaded.interaction.id, sessionRow, codeRow))) throw alreadyUsed();
  return { cookieValue, location: codeRedirect(scope, request, code) };
}

/**
 * Any other login, in one transaction: it ends the browser's earlier session (or, when adding
 * an account, keeps it if it is another user's), then issues the code or moves to the next step.
 */
async function signInTransaction(
  c: Context,
  scope: IssuerScope,
  loaded: LoadedInteraction,
  userId: string,
  then: string[] | PendingStep,
  previous: string | undefined,
  adding: boolean,
  auth: Authentication,
  withSession: WithSession | undefined,
): Promise<SignedIn> {
  // Everything a login writes commits at once: the new session, then the code or the next step.
  return scope.transaction(async (repos) => {
    const { session, cookieValue, kept } = await newLoginSession(c, scope, repos, userId, previous, adding, auth);
    await withSession?.(repos);
    if (Array.isArray(then)) return { cookieValue, kept, location: await completeWithCode(scope, repos, loaded, session, then) };
    await repos.interactions.advance(loaded.interaction.id, then.step, userId, session.id, then.reason);
    return { cookieValue, kept, location: undefined };
  });
}

/** The login's session; when adding an account, the previous one is kept unless it is this user's. */
async function newLoginSession(
  c: Context,
  scope: IssuerScope,
  repos: Repos,
  userId: string,
  previous: string | undefined,
  adding: boolean,
  auth: Authentication,
): Promise<NewSession & { kept?: string }> {
  const ttl = scope.settings.sessionTtl;
  const device = sessionDevice(c, scope);
  if (adding && previous) {
    const old = await repos.sessions.findByCookie(previous);
    if (old && old.userId !== userId) return { ...(await repos.sessions.create(userId, ttl, auth, device)), kept: previous };
  }
  return repos.sessions.replace(previous, userId, ttl, auth, device);
}

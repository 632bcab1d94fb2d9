import type { Context } from 'hono';
import { issueCode, redirectError } from '../authorize/respond.js';
import { PageError } from '../errors.js';
import { say } from '../pages/translator.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Repos } from '../store/repos.js';
import type { Session } from '../store/repos/sessions.js';
import type { LoadedInteraction } from './load.js';
import { seeOther } from '../http/respond.js';

/** A second submit of a finished interaction (double click, replay): it never mints a second code. */
export function alreadyUsed(): PageError {
  return new PageError(say('interaction.alreadyUsed'));
}

async function complete(repos: Repos, loaded: LoadedInteraction): Promise<void> {
  // complete() succeeds once: a double submit cannot mint two codes.
  if (!(await repos.interactions.complete(loaded.interaction.id))) throw alreadyUsed();
}

/**
 * Completes the interaction and issues its code inside the caller's transaction (so a login or
 * a consent commits once, with everything it wrote); returns where to send the browser.
 */
export async function completeWithCode(scope: IssuerScope, repos: Repos, loaded: LoadedInteraction, session: Session, scopes: string[]): Promise<string> {
  await complete(repos, loaded);
  return issueCode(scope, repos, loaded.interaction.params, session, scopes);
}

/** The redirect that ends an interaction whose transaction has committed. */
export function leaveInteraction(c: Context, scope: IssuerScope, loaded: LoadedInteraction, location: string): Response {
  scope.cookies.clearInteraction(c, loaded.interaction.id);
  return seeOther(c, location);
}

/** Ends the interaction with access_denied for the client. */
export async function finishDenied(c: Context, scope: IssuerScope, loaded: LoadedInteraction, description: string): Promise<Response> {
  await complete(scope.repos, loaded);
  scope.cookies.clearInteraction(c, loaded.interaction.id);
  throw redirectError(loaded.interaction.params, 'access_denied', description);
}

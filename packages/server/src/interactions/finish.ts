import type { Context } from 'hono';
import { issueCode, redirectError } from '../authorize/respond.js';
import { OAuthError } from '../errors.js';
import type { Services } from '../services.js';
import type { Session } from '../store/repos/sessions.js';
import type { LoadedInteraction } from './load.js';

async function close(c: Context, services: Services, loaded: LoadedInteraction): Promise<void> {
  // complete() succeeds once: a double submit cannot mint two codes.
  if (!(await services.repos.interactions.complete(loaded.interaction.id))) {
    throw new OAuthError('invalid_request', 'This sign-in page was already used. Go back to the application and start again.');
  }
  services.cookies.clearInteraction(c, loaded.interaction.id);
}

/** Ends the interaction with a code for the client. */
export async function finishWithCode(c: Context, services: Services, loaded: LoadedInteraction, session: Session, scopes: string[]): Promise<Response> {
  await close(c, services, loaded);
  return c.redirect(await issueCode(services, loaded.interaction.params, session, scopes), 303);
}

/** Ends the interaction with access_denied for the client. */
export async function finishDenied(c: Context, services: Services, loaded: LoadedInteraction, description: string): Promise<Response> {
  await close(c, services, loaded);
  throw redirectError(loaded.interaction.params, 'access_denied', description);
}

import type { Context } from 'hono';
import type { AuthorizationRequest } from '../authorize/request.js';
import { type AccountSignIn, isAccountSignIn } from '../interactions/account-request.js';
import { isInteractionId } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { ContinueSignIn } from '../pages/password.js';
import { RESET_LINK_TTL } from './paths.js';

/** The sign-in a "Forgot your password?" link came from, if the value can name one. */
export function returnTarget(value: string | undefined): string | undefined {
  return value !== undefined && isInteractionId(value) ? value : undefined;
}

/**
 * Remembers, in this browser, the sign-in a request for a link came from: the password-changed
 * page then leads back to it. A cookie and not the mailed link, so only the browser that was
 * signing in is offered the way back (the sign-in is bound to it anyway).
 */
export function rememberReturn(c: Context, scope: IssuerScope, target: string | undefined): void {
  if (target) scope.cookies.setPasswordReturn(c, target, RESET_LINK_TTL);
}

/** Where "continue" leads after a new password: the remembered sign-in while it is still open. */
export async function continueSignIn(c: Context, scope: IssuerScope): Promise<ContinueSignIn | undefined> {
  const remembered = scope.cookies.getPasswordReturn(c);
  if (remembered === undefined) return undefined;
  scope.cookies.clearPasswordReturn(c);
  const target = returnTarget(remembered);
  if (!target) return undefined;
  // find() answers only an interaction that is neither finished nor expired.
  const interaction = await scope.repos.interactions.find<AuthorizationRequest | AccountSignIn>(target);
  if (!interaction) return undefined;
  const href = scope.path(`/interaction/${target}`);
  const { params } = interaction;
  if (isAccountSignIn(params)) return { href, clientName: undefined };
  const client = await scope.repos.clients.find(params.clientId);
  return client ? { href, clientName: client.name } : undefined;
}

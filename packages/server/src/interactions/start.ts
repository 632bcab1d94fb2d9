import type { Context } from 'hono';
import type { AuthorizationRequest } from '../authorize/request.js';
import type { ActiveSession } from '../http/session.js';
import { useAskedLocale } from '../http/locale.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { LoadedInteraction } from './load.js';

/**
 * Pauses an authorization request for the hosted pages: stores it and binds it to this browser
 * by a cookie. With a session, only consent is left to ask.
 */
export async function startInteraction(
  c: Context,
  scope: IssuerScope,
  request: AuthorizationRequest,
  client: Client,
  active: ActiveSession | undefined,
): Promise<LoadedInteraction> {
  const ttl = scope.services.config.interactionTtl;
  const { interaction, browserSecret } = await scope.repos.interactions.create(
    request,
    active ? 'consent' : 'login',
    ttl,
    active?.user.id ?? null,
    active?.session.id ?? null,
  );
  scope.cookies.setInteraction(c, interaction.id, browserSecret, ttl);
  useAskedLocale(c, request.uiLocale);
  return { interaction, client };
}

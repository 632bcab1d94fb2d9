import type { Context } from 'hono';
import type { AuthorizationRequest } from '../authorize/request.js';
import { PageError } from '../errors.js';
import { useAskedLocale } from '../http/locale.js';
import { type AccountSignIn, isAccountSignIn } from '../interactions/account-request.js';
import type { AnyLoadedInteraction } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';

/**
 * The interaction a callback continues. The callback is not under the interaction's path, so the
 * interaction cookie is not sent with it: the browser is bound instead by the flow cookie, whose
 * hash the spent flow row held (callback.ts checks it before calling this).
 */
export async function flowInteraction(c: Context, scope: IssuerScope, id: string): Promise<AnyLoadedInteraction> {
  const interaction = await scope.repos.interactions.find<AuthorizationRequest | AccountSignIn>(id);
  if (!interaction) throw new PageError(say('interaction.expired'), { status: 404 });
  useAskedLocale(c, interaction.params.uiLocale);
  const { params } = interaction;
  if (isAccountSignIn(params)) return { interaction: { ...interaction, params }, client: undefined };
  const client = await scope.repos.clients.find(params.clientId);
  if (!client) throw new PageError(say('interaction.clientGone'));
  return { interaction: { ...interaction, params }, client };
}

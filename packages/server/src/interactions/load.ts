import type { Context } from 'hono';
import type { AuthorizationRequest } from '../authorize/request.js';
import { PageError } from '../errors.js';
import { useAskedLocale } from '../http/locale.js';
import { say } from '../pages/translator.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import type { Interaction } from '../store/repos/interactions.js';
import { safeEqual, sha256 } from '../tokens/random.js';
import { type AccountSignIn, isAccountSignIn } from './account-request.js';

/** An interaction of an authorization request: it ends with a code or an error for its client. */
export interface LoadedInteraction {
  interaction: Interaction<AuthorizationRequest>;
  client: Client;
}

/** A sign-in to the account pages: no client, and it ends on the account page, nowhere else. */
export interface LoadedAccountSignIn {
  interaction: Interaction<AccountSignIn>;
  client: undefined;
}

/** Either kind; only the login step serves both, everything after it is one kind's own. */
export type AnyLoadedInteraction = LoadedInteraction | LoadedAccountSignIn;

const expired = (): PageError => new PageError(say('interaction.expired'), { status: 404 });

/** Whether `value` can be an interaction id at all; nothing else is looked up. */
export function isInteractionId(value: string): boolean {
  return /^[A-Za-z0-9_-]{10,64}$/.test(value);
}

/** The interaction id in the URL; anything that cannot be one is answered as an expired page. */
export function interactionId(c: Context): string {
  const uid = c.req.param('uid') ?? '';
  if (!isInteractionId(uid)) throw expired();
  return uid;
}

/**
 * The open interaction named in the URL, if this browser started it. A form post must also
 * carry the interaction's CSRF token: the cookie alone is sent by the browser on its own.
 * `read` is that interaction when the caller has already read it by the URL's id (null: not
 * open), so it is not read again.
 */
export async function loadAnyInteraction(c: Context, scope: IssuerScope, csrf?: string | null, read?: Interaction | null): Promise<AnyLoadedInteraction> {
  const uid = interactionId(c);
  const interaction =
    read === undefined
      ? await scope.repos.interactions.find<AuthorizationRequest | AccountSignIn>(uid)
      : ((read as Interaction<AuthorizationRequest | AccountSignIn> | null) ?? undefined);
  if (!interaction) throw expired();
  // Every page of the interaction, and any error page from here on, in the language it asked for.
  useAskedLocale(c, interaction.params.uiLocale);
  const cookie = scope.cookies.getInteraction(c);
  if (!cookie || !safeEqual(sha256(cookie), interaction.browserHash)) {
    throw new PageError(say('interaction.otherBrowser'), { status: 403 });
  }
  if (csrf !== undefined && (csrf === null || !safeEqual(csrf, interaction.csrfToken))) {
    throw new PageError(say('form.unverified'), { status: 403 });
  }
  const { params } = interaction;
  if (isAccountSignIn(params)) return { interaction: { ...interaction, params }, client: undefined };
  const client = await scope.repos.clients.find(params.clientId);
  if (!client) throw new PageError(say('interaction.clientGone'));
  return { interaction: { ...interaction, params }, client };
}

/** As loadAnyInteraction, for the steps only an authorization request has (consent, cancel). */
export async function loadInteraction(c: Context, scope: IssuerScope, csrf?: string | null): Promise<LoadedInteraction> {
  const loaded = await loadAnyInteraction(c, scope, csrf);
  if (!loaded.client) throw expired();
  return loaded;
}

import type { Context } from 'hono';
import type { LoadedInteraction } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';
import { startUpstream } from './start.js';

const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The `idp_hint` authorization parameter (Keycloak's `kc_idp_hint`, under a name of no
 * product's): a hint, so a value that is not a provider id is passed over, not refused.
 */
export function idpHint(raw: string | undefined): { idpHint?: string } {
  return raw !== undefined && PROVIDER_ID.test(raw) ? { idpHint: raw } : {};
}

async function alwaysDefault(scope: IssuerScope): Promise<UpstreamProvider | undefined> {
  const provider = await scope.repos.upstreamProviders.findDefault();
  return provider?.defaultSignIn === 'always' ? provider : undefined;
}

/**
 * Instead of the sign-in page, the hinted provider (or the issuer's default one set to `always`,
 * for a request without login_hint), when it is an enabled provider of the issuer and this
 * sign-in has not been sent upstream yet: coming back (a refusal, the back button)
 * shows the page with every way to sign in, rather than going round again.
 */
export async function followIdpHint(c: Context, scope: IssuerScope, loaded: LoadedInteraction): Promise<Response | undefined> {
  const { idpHint: hint, loginHint } = loaded.interaction.params;
  // Without a hint, the issuer's default provider when it takes every sign-in without a login_hint.
  const provider = hint ? await scope.repos.upstreamProviders.find(hint) : loginHint ? undefined : await alwaysDefault(scope);
  if (!provider?.enabled) return undefined;
  if (await scope.repos.upstreamFlows.startedFor(loaded.interaction.id)) return undefined;
  return startUpstream(c, scope, loaded.interaction.id, provider);
}

import type { IssuerScope } from '../issuers/scope.js';
import type { ProviderButton } from './pages.js';

/** The sign-in page's provider buttons: the issuer's enabled providers, in the order they were added. */
export async function signInButtons(scope: IssuerScope): Promise<ProviderButton[]> {
  const providers = await scope.repos.upstreamProviders.list();
  return providers.filter((p) => p.enabled).map((p) => ({ id: p.id, name: p.displayName }));
}

import { IdpClient } from '../../src/index.js';
import { FakeProvider } from './fake-provider.js';

export async function setup(): Promise<{ provider: FakeProvider; idp: IdpClient }> {
  const provider = await FakeProvider.create();
  const idp = new IdpClient({
    issuerUrl: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri: provider.redirectUri,
    fetch: provider.fetch,
    clock: provider.clock,
  });
  return { provider, idp };
}

/** Runs the whole sign-in against the fake provider and returns the agent. */
export async function signIn(provider: FakeProvider, idp: IdpClient, scopes = ['openid', 'profile', 'email']) {
  const request = await idp.createAuthorizationUrl({ scopes });
  const callback = provider.authorize(request.url);
  return idp.exchangeCode(callback, request);
}

/** A JSON response like a token endpoint's. */
export function tokenResponse(body: Record<string, unknown>, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

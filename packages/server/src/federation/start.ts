import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { seeOther } from '../http/respond.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';
import { randomToken, sha256 } from '../tokens/random.js';
import { setFlowCookie } from './cookie.js';
import { FLOW_TTL, callbackPath } from './paths.js';
import { UpstreamError, authorizationUrl } from './upstream.js';

/** An enabled provider of the issuer by the id in a URL or a form; anything else is "not available". */
export async function enabledProvider(scope: IssuerScope, id: string | undefined): Promise<UpstreamProvider> {
  const provider = id && /^[a-z0-9][a-z0-9-]{0,62}$/.test(id) ? await scope.repos.upstreamProviders.find(id) : undefined;
  if (!provider?.enabled) throw new PageError(say('federation.unknown'), { status: 404 });
  return provider;
}

/**
 * Sends the browser to the provider for the interaction `interactionId`: the state, nonce and
 * PKCE verifier are kept in a flow row (the verifier sealed, the state hashed) bound to the
 * interaction and to a fresh secret in this browser's flow cookie.
 */
export async function startUpstream(c: Context, scope: IssuerScope, interactionId: string, provider: UpstreamProvider): Promise<Response> {
  let started: Awaited<ReturnType<typeof authorizationUrl>>;
  try {
    started = await authorizationUrl(scope, provider, scope.href(callbackPath(provider.id)));
  } catch (error) {
    const detail = error instanceof UpstreamError ? error.detail : (error as Error).message;
    scope.services.logger.log('warn', 'upstream discovery failed', { provider: provider.id, error: detail });
    throw new PageError(say('federation.failed', { provider: provider.displayName }), { status: 502 });
  }
  const browserSecret = randomToken(32);
  const stateHash = sha256(started.state);
  await scope.repos.upstreamFlows.create(
    {
      stateHash,
      providerId: provider.id,
      interactionId,
      browserHash: sha256(browserSecret),
      sealedCodeVerifier: await scope.services.box.seal(started.codeVerifier, `upstream-verifier:${scope.id}:${stateHash}`),
      nonce: started.nonce,
    },
    FLOW_TTL,
  );
  setFlowCookie(c, scope, provider, browserSecret);
  c.header('Cache-Control', 'no-store');
  return seeOther(c, started.location);
}

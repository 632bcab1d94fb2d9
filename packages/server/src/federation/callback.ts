import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { logSecurityEvent } from '../http/request-log.js';
import { toInteractionPage } from '../interactions/advance.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { sha256 } from '../tokens/random.js';
import { readPageForm } from '../http/form.js';
import { signInUpstream } from './accounts.js';
import { appleUserName, isApple } from './apple.js';
import { clearFlowCookie, getFlowCookie } from './cookie.js';
import { flowInteraction } from './interaction.js';
import { callbackPath } from './paths.js';
import { enabledProvider } from './start.js';
import type { UpstreamProvider } from '../store/repos/upstream-providers.js';
import { UpstreamError, finishUpstream } from './upstream.js';

const MAX_PARAM = 4096;

/**
 * The provider's answer: the query of a GET, or for Apple (response_mode=form_post) the body of
 * its cross-site POST; a POST to any other provider's callback is refused.
 */
async function answerOf(c: Context, provider: UpstreamProvider): Promise<URLSearchParams> {
  if (c.req.method === 'GET') return new URL(c.req.url).searchParams;
  if (!isApple(provider)) throw new PageError(say('federation.unknown'), { status: 405 });
  return readPageForm(c);
}

/**
 * GET (or for Apple POST) /signin/{provider}/callback: the provider's answer. The state is spent once, and only by
 * the browser that started it (its flow cookie) and only at the callback of the provider it was
 * sent to; then the answer is checked (RFC 9207 `iss`, the code exchange with PKCE, the ID token
 * against the provider's JWKS, its audience, issuer and nonce) and the sign-in continues.
 */
export async function handleCallback(c: Context, scope: IssuerScope): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const provider = await enabledProvider(scope, c.req.param('provider'));
  const named = { provider: provider.displayName };
  const query = await answerOf(c, provider);
  const state = query.get('state') ?? '';
  if (state === '' || state.length > MAX_PARAM) throw new PageError(say('federation.expired'));
  const browser = getFlowCookie(c, scope);
  const stateHash = sha256(state);
  const spent = await scope.repos.upstreamFlows.spend(stateHash, browser === undefined ? undefined : sha256(browser), provider.id);
  clearFlowCookie(c, scope, provider);
  if (spent.status !== 'spent') {
    logSecurityEvent(c, 'warn', 'upstream_callback_refused', { provider: provider.id, reason: spent.status });
    if (spent.status === 'other_browser') throw new PageError(say('federation.otherBrowser'), { status: 403 });
    throw new PageError(say('federation.expired'));
  }
  const { flow } = spent;
  const loaded = await flowInteraction(c, scope, flow.interactionId);
  // Past the login step already (another tab finished it): nothing is signed in again.
  if (loaded.client && loaded.interaction.prompt !== 'login') return toInteractionPage(c, scope, loaded);
  let profile: Awaited<ReturnType<typeof finishUpstream>>;
  try {
    profile = await finishUpstream(scope, provider, query, {
      state,
      codeVerifier: await scope.services.box.open(flow.sealedCodeVerifier, `upstream-verifier:${scope.id}:${stateHash}`),
      nonce: flow.nonce,
      redirectUri: scope.href(callbackPath(provider.id)),
    });
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    logSecurityEvent(c, 'warn', 'upstream_sign_in_failed', { provider: provider.id, reason: error.reason, error: error.detail.slice(0, 300) });
    throw new PageError(say(error.reason === 'denied' ? 'federation.denied' : 'federation.failed', named), { status: error.reason === 'denied' ? 400 : 502 });
  }
  // Apple tells the name once, on the first sign-in, in the unsigned `user` member: the name only.
  if (isApple(provider) && profile.name === null) profile = { ...profile, name: appleUserName(query.get('user')) };
  return signInUpstream(c, scope, loaded, provider, profile, stateHash);
}

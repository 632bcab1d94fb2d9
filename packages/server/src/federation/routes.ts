import type { Hono } from 'hono';
import { ACCOUNT_HOME_PATH } from '../account/paths.js';
import { readPageForm } from '../http/form.js';
import { seeOther } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { toInteractionPage } from '../interactions/advance.js';
import { loadAnyInteraction } from '../interactions/load.js';
import { handleCallback } from './callback.js';
import { handleLink, showLink } from './prove.js';
import { enabledProvider, startUpstream } from './start.js';
import { registerUnlink } from './unlink.js';

/**
 * Sign-in through upstream providers (docs/federation.md). Registered before the interactions:
 * their POST /interaction/:uid/:step would take these posts.
 */
export function registerFederation(app: Hono): void {
  // The sign-in page's buttons: bound to its interaction (cookie and CSRF token checked).
  app.post('/interaction/:uid/upstream', async (c) => {
    c.header('Cache-Control', 'no-store');
    const scope = issuerScope(c);
    const form = await readPageForm(c);
    const loaded = await loadAnyInteraction(c, scope, form.get('csrf'));
    if (loaded.client && loaded.interaction.prompt !== 'login') return toInteractionPage(c, scope, loaded);
    return startUpstream(c, scope, loaded.interaction.id, await enabledProvider(scope, form.get('provider') ?? undefined));
  });

  app.get('/interaction/:uid/upstream/link', (c) => {
    c.header('Cache-Control', 'no-store');
    return showLink(c, issuerScope(c));
  });
  app.post('/interaction/:uid/upstream/link', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleLink(c, issuerScope(c));
  });

  // A plain link ("Sign in with Google" on a web page): no interaction to bind to, so it starts
  // an account sign-in, which ends on the account page and nowhere else (no return URL is read).
  // An app signs its users in through a provider with an authorization request instead.
  // <issuer>/signin: the issuer's default provider, or the account sign-in page when it has none.
  app.get('/signin', async (c) => {
    const scope = issuerScope(c);
    const provider = await scope.repos.upstreamProviders.findDefault();
    if (!provider) return seeOther(c, scope.href(ACCOUNT_HOME_PATH));
    const loaded = await startAccountSignIn(c, scope);
    return startUpstream(c, scope, loaded.interaction.id, provider);
  });

  app.get('/signin/:provider', async (c) => {
    const scope = issuerScope(c);
    const provider = await enabledProvider(scope, c.req.param('provider'));
    const loaded = await startAccountSignIn(c, scope);
    return startUpstream(c, scope, loaded.interaction.id, provider);
  });

  app.get('/signin/:provider/callback', (c) => handleCallback(c, issuerScope(c)));
  // Apple's form_post: a cross-site POST, bound by the state and the flow cookie, not a CSRF token.
  app.post('/signin/:provider/callback', (c) => handleCallback(c, issuerScope(c)));
  registerUnlink(app);
}

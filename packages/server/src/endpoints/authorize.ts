import type { Context, Hono } from 'hono';
import { decide } from '../authorize/decide.js';
import { issueCode, redirectError } from '../authorize/respond.js';
import { validateAuthorizationRequest } from '../authorize/validate.js';
import { noteClient } from '../http/request-log.js';
import { type Params, parseParams, rawQuery, readForm } from '../http/form.js';
import { currentSession } from '../http/session.js';
import { showInteraction } from '../interactions/routes.js';
import { startInteraction } from '../interactions/start.js';
import { issuerScope } from '../http/scope.js';
import { seeOther } from '../http/respond.js';

/**
 * The authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2). It validates the request,
 * then either answers at once (single sign-on) or hands over to the hosted pages.
 */
export function registerAuthorize(app: Hono): void {
  const handle = async (c: Context, params: Params): Promise<Response> => {
    c.header('Cache-Control', 'no-store');
    const { request, client } = await validateAuthorizationRequest(params, issuerScope(c));
    noteClient(c, client.id);
    const active = await currentSession(c, issuerScope(c));
    const decision = await decide(issuerScope(c), client, request, active);
    if (decision.needs === 'nothing') return seeOther(c, await issueCode(issuerScope(c), issuerScope(c).repos, request, decision.session.session, decision.scopes));
    if (request.prompts.includes('none')) {
      throw decision.needs === 'login'
        ? redirectError(request, 'login_required', 'The user is not signed in')
        : redirectError(request, 'consent_required', 'The user has not approved this application');
    }
    // The page is answered here rather than through a redirect to /interaction/:uid: one request
    // fewer per sign-in. Its forms post to /interaction/:uid/…, and that URL shows it again.
    const loaded = await startInteraction(c, issuerScope(c), request, client, decision.needs === 'login' ? undefined : decision.session);
    return showInteraction(c, issuerScope(c), loaded);
  };

  app.get('/oauth/authorize', (c) => handle(c, parseParams(rawQuery(c))));
  app.post('/oauth/authorize', async (c) => handle(c, await readForm(c)));
}

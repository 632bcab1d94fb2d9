import type { Context, Hono } from 'hono';
import { consentedScopes } from '../authorize/decide.js';
import { issueCode, redirectError } from '../authorize/respond.js';
import { validateAuthorizationRequest } from '../authorize/validate.js';
import { accountCookieCount } from '../http/browser-accounts.js';
import { noteClient } from '../http/request-log.js';
import { type Params, parseParams, rawQuery, readForm } from '../http/form.js';
import { currentSession } from '../http/session.js';
import { STEPS } from '../interactions/steps.js';
import { startInteraction } from '../interactions/start.js';
import { issuerScope } from '../http/scope.js';
import { seeOther } from '../http/respond.js';
import { nextStep } from '../signin/policy.js';
import { secondFactorDue } from '../factors/need.js';

/**
 * The authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2). It validates the request,
 * then either answers at once (single sign-on) or hands over to the step the sign-in policy
 * names (signin/policy.ts), whose page it shows.
 */
export function registerAuthorize(app: Hono): void {
  const handle = async (c: Context, params: Params): Promise<Response> => {
    c.header('Cache-Control', 'no-store');
    const scope = issuerScope(c);
    const { request, client } = await validateAuthorizationRequest(params, scope);
    noteClient(c, client.id);
    const active = await currentSession(c, scope);
    const accounts = request.prompts.includes('select_account') ? accountCookieCount(c, scope) : active ? 1 : 0;
    const state = { request, session: active?.session, signedIn: false, accountChosen: false, accounts, now: scope.services.clock() };
    const next = await nextStep(state, (userId) => consentedScopes(scope, client, userId, request), secondFactorDue(c, scope, client, request));
    if (next.step === 'done' && active) return seeOther(c, await issueCode(scope, scope.repos, request, active.session, next.scopes));
    if (next.step === 'done') throw new Error('a finished sign-in has a session');
    if (request.prompts.includes('none')) {
      if (next.step === 'consent') throw redirectError(request, 'consent_required', 'The user has not approved this application');
      // The session is there but owes its second factor: only a page can ask for it (OIDC Core §3.1.2.6).
      if (next.step === 'mfa') throw redirectError(request, 'interaction_required', 'The user must prove a second factor');
      throw redirectError(request, 'login_required', 'The user is not signed in');
    }
    // The page is answered here rather than through a redirect to /interaction/:uid: one request
    // fewer per sign-in. Its forms post to /interaction/:uid/…, and that URL shows it again.
    const loaded = await startInteraction(c, scope, request, client, next, active);
    scope.services.logger.log('debug', 'interaction step', { step: next.step, reason: next.reason, client: client.id });
    return STEPS[next.step].show(c, scope, loaded);
  };

  app.get('/oauth/authorize', (c) => handle(c, parseParams(rawQuery(c))));
  app.post('/oauth/authorize', async (c) => handle(c, await readForm(c)));
}

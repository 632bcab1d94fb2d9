import { type Agent, NetworkError, OAuthResponseError, ProtocolError } from '@gatehouse/client';
import express, { type Response, Router } from 'express';
import { CALLBACK_PATH } from '../config.js';
import { ACR_TWO_FACTORS, type AppContext, SCOPES } from '../context.js';
import { errorPage } from '../pages.js';
import { csrfMatches, destroySession, pickProfile, randomToken, regenerateSession } from '../session.js';

function fail(res: Response, status: number, title: string, message: string): void {
  res.status(status).type('html').send(errorPage(title, message));
}

/** Turns an exchangeCode failure into a page the user can act on; details go to the log only. */
function signInFailed(ctx: AppContext, res: Response, error: unknown): void {
  ctx.log(`sign-in failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  if (error instanceof OAuthResponseError && error.error === 'access_denied') {
    return fail(res, 400, 'Sign-in cancelled', 'You did not allow Example Business to use your Gatehouse account. You can try again any time.');
  }
  if (error instanceof OAuthResponseError && error.error === 'invalid_grant') {
    return fail(res, 400, 'Sign-in expired', 'The sign-in took too long or was already completed. Please sign in again.');
  }
  if (error instanceof NetworkError) {
    return fail(res, 503, 'Gatehouse is unreachable', 'We could not reach the sign-in service. Please try again in a moment.');
  }
  if (error instanceof OAuthResponseError || error instanceof ProtocolError) {
    return fail(res, 400, 'Sign-in failed', 'Gatehouse could not sign you in to Example Business. Please try again.');
  }
  throw error;
}

export function authRoutes(ctx: AppContext): Router {
  const { idp, config } = ctx;
  const router = Router();

  router.get('/api/auth/login/gatehouse', async (req, res) => {
    // ?step_up=2fa (the dashboard's "Confirm with your second factor") asks Gatehouse for a
    // second factor even when the user's session there exists; the ID token's acr says whether it was.
    const acrValues = req.query.step_up === '2fa' ? [ACR_TWO_FACTORS] : undefined;
    // PKCE verifier, state and nonce are fresh for every attempt and never leave the server.
    const { url, codeVerifier, state, nonce } = await idp.createAuthorizationUrl({ scopes: SCOPES, resource: config.apiAudience, acrValues });
    req.session.pendingLogin = { codeVerifier, state, nonce };
    res.redirect(303, url);
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    const pending = req.session.pendingLogin;
    // One callback per sign-in attempt: a replayed or forged callback finds nothing to finish.
    delete req.session.pendingLogin;
    if (!pending) {
      return fail(res, 400, 'No sign-in in progress', 'This sign-in link has expired or was already used. Please start again from the home page.');
    }
    if (req.query.state !== pending.state) {
      ctx.log('sign-in failed: state mismatch');
      return fail(res, 400, 'Sign-in could not be verified', 'This response does not belong to the sign-in started in this browser. Please sign in again.');
    }
    let agent: Agent;
    try {
      // Checks state and iss again, redeems the code with the PKCE verifier, verifies the ID token.
      agent = await idp.exchangeCode(req.originalUrl, pending);
    } catch (error) {
      return signInFailed(ctx, res, error);
    }
    ctx.signedIn.forget(req.sessionID);
    await regenerateSession(req);
    req.session.sub = agent.profile.sub;
    req.session.profile = pickProfile(agent.profile);
    req.session.tokens = agent.tokens;
    req.session.csrfToken = randomToken();
    // Back-channel logout names the Gatehouse session by the ID token's sid.
    ctx.signedIn.add(req.sessionID, agent.profile.sub, typeof agent.profile.sid === 'string' ? agent.profile.sid : undefined);
    res.redirect(303, '/dashboard');
  });

  router.post('/api/auth/logout', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    if (!req.session.sub) {
      await destroySession(req, res);
      return res.redirect(303, '/');
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (!csrfMatches(req.session.csrfToken, body?.csrf)) {
      return fail(res, 403, 'Sign-out could not be verified', 'Please go back to your dashboard and press Sign out again.');
    }
    const tokens = req.session.tokens;
    try {
      // Ends the grant at Gatehouse: the refresh token and every access token issued from it.
      await idp.revoke(tokens?.refreshToken, { tokenTypeHint: 'refresh_token' });
    } catch (error) {
      // Signing out here must still work when Gatehouse is down; the grant then expires on its own.
      ctx.log(`revocation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Drops the signed-in session from the store; the new one only remembers the logout state.
    ctx.signedIn.forget(req.sessionID);
    await regenerateSession(req);
    const state = randomToken();
    req.session.logoutState = state;
    res.redirect(303, idp.logoutUrl({ idTokenHint: tokens?.idToken, postLogoutRedirectUri: `${config.appUrl}/`, state }));
  });

  return router;
}

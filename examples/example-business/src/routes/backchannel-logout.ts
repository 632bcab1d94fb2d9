import { LogoutTokenError } from '@gatehouse/client';
import express, { Router } from 'express';
import type { SessionData, Store } from 'express-session';
import { BACKCHANNEL_LOGOUT_PATH } from '../config.js';
import type { AppContext } from '../context.js';

function getSession(store: Store, id: string): Promise<SessionData | null | undefined> {
  return new Promise((resolve, reject) => store.get(id, (error: unknown, found?: SessionData | null) => (error ? reject(error) : resolve(found))));
}

function destroy(store: Store, id: string): Promise<void> {
  return new Promise((resolve, reject) => store.destroy(id, (error?: unknown) => (error ? reject(error) : resolve())));
}

/**
 * OpenID Connect Back-Channel Logout 1.0: Gatehouse POSTs a logout token here when a Gatehouse
 * session this app signed in through ends (logout elsewhere, "sign out others", a password
 * change, an administrator). The SDK checks the token; the app then ends its own sessions of
 * that `sid` and revokes their refresh tokens, so the next page that browser loads is signed
 * out and nothing the app held keeps working. Server to server: no cookie, no CSRF token.
 */
export function backchannelLogoutRoutes(ctx: AppContext, store: Store): Router {
  const router = Router();
  router.post(BACKCHANNEL_LOGOUT_PATH, express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    let logout: { sub: string | undefined; sid: string | undefined };
    try {
      logout = await ctx.idp.verifyLogoutToken(new URLSearchParams((req.body ?? {}) as Record<string, string>));
    } catch (error) {
      if (!(error instanceof LogoutTokenError)) throw error;
      ctx.log(`back-channel logout refused: ${error.code}: ${error.message}`);
      return res.status(400).json({ error: 'invalid_request', error_description: error.message });
    }
    for (const id of ctx.signedIn.take(logout)) {
      const ended = await getSession(store, id);
      await destroy(store, id);
      // Gatehouse has ended the grant already unless it had offline_access; revoking is then what ends it.
      await ctx.idp.revoke(ended?.tokens?.refreshToken, { tokenTypeHint: 'refresh_token' }).catch((error: unknown) => {
        ctx.log(`revocation after back-channel logout failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    res.status(200).end();
  });
  return router;
}

import { NetworkError, OAuthResponseError } from '@gatehouse/client';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { destroySession, pickProfile } from '../session.js';

/**
 * The browser's view of the user's orders: the app calls its API with the user's access token
 * on the server, so the token never reaches the browser.
 */
export function myOrdersRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/api/me/orders', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const tokens = req.session.tokens;
    if (!req.session.sub || !tokens) return res.status(401).json({ error: 'not_signed_in' });
    try {
      const agent = await ctx.idp.createAgent(tokens, {
        // Refresh tokens are single-use: the rotated set must replace the stored one.
        onRefresh: (rotated) => {
          req.session.tokens = rotated;
        },
        // The grant is gone (revoked, expired, or reused): the local session must end too.
        onRefreshError: () => destroySession(req, res),
      });
      const response = await agent.fetch(ctx.ordersUrl, { headers: { accept: 'application/json' } });
      if (req.session) req.session.profile = pickProfile(agent.profile);
      if (!response.ok) {
        ctx.log(`orders API answered ${response.status}`);
        await response.body?.cancel();
        return res.status(502).json({ error: 'orders_unavailable' });
      }
      res.json(await response.json());
    } catch (error) {
      if (error instanceof OAuthResponseError && error.error === 'invalid_grant') {
        return res.status(401).json({ error: 'session_ended', error_description: 'Please sign in again.' });
      }
      if (error instanceof NetworkError) return res.status(503).json({ error: 'gatehouse_unreachable' });
      throw error;
    }
  });

  return router;
}

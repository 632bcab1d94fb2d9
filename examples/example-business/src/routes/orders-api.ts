import { BearerTokenError, NetworkError } from '@gatehouse/client';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { ordersFor } from '../orders.js';

/**
 * The demo API, a resource server: it trusts only Gatehouse access tokens issued for its
 * audience with the "orders" scope, and knows the caller only from the token's `sub`.
 */
export function ordersApiRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/api/orders', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      const claims = await ctx.api.verify(req, { scopes: ['orders'] });
      res.json({ sub: claims.sub, orders: ordersFor(claims.sub) });
    } catch (error) {
      if (error instanceof BearerTokenError) {
        res.status(error.status).set('WWW-Authenticate', error.wwwAuthenticate);
        return res.json({ error: error.error ?? 'unauthorized', error_description: error.error_description });
      }
      if (error instanceof NetworkError) return res.status(503).json({ error: 'gatehouse_unreachable' });
      throw error;
    }
  });

  return router;
}

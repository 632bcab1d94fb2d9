import { type RequestHandler, Router } from 'express';
import { dashboardPage } from '../pages.js';

/** Pages for signed-in users only; everyone else goes to the home page to sign in. */
export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (!req.session.sub || !req.session.profile || !req.session.tokens) return res.redirect(303, '/');
  next();
};

export function dashboardRoutes(): Router {
  const router = Router();

  router.get('/dashboard', requireSignedIn, (req, res) => {
    const { profile, csrfToken } = req.session;
    if (!profile || !csrfToken) return res.redirect(303, '/');
    res.type('html').send(dashboardPage({ profile, csrfToken }));
  });

  return router;
}

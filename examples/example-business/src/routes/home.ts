import { Router } from 'express';
import { homePage } from '../pages.js';
import { destroySession } from '../session.js';

export function homeRoutes(): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    // Gatehouse sends the browser back here after logout with the state we gave it.
    const signedOut = typeof req.query.state === 'string' && req.session.logoutState === req.query.state;
    if (signedOut && !req.session.sub) await destroySession(req, res);
    res.type('html').send(homePage({ profile: req.session?.sub ? req.session.profile : undefined, signedOut }));
  });

  return router;
}

import type { Hono } from 'hono';
import { allowOnly } from '../http/methods.js';
import type { Services } from '../services.js';
import { issuerScope } from '../http/scope.js';
import { handleForgot, showForgot } from './forgot.js';
import { FORGOT_PATH, RESET_PATH } from './paths.js';
import { handleReset, showReset } from './reset.js';

/**
 * Self-service password reset by email. Without mail settings nothing is registered: the paths
 * answer 404 and the sign-in page has no link to them.
 */
export function registerPasswordReset(app: Hono, services: Services): void {
  const { outbox } = services;
  if (!outbox) return;

  app.get(FORGOT_PATH, (c) => {
    c.header('Cache-Control', 'no-store');
    return showForgot(c, issuerScope(c));
  });
  app.post(FORGOT_PATH, (c) => {
    c.header('Cache-Control', 'no-store');
    return handleForgot(c, issuerScope(c), outbox);
  });
  app.get(RESET_PATH, (c) => {
    c.header('Cache-Control', 'no-store');
    return showReset(c, issuerScope(c));
  });
  app.post(RESET_PATH, (c) => {
    c.header('Cache-Control', 'no-store');
    return handleReset(c, issuerScope(c));
  });

  allowOnly(app, FORGOT_PATH, ['GET', 'POST']);
  allowOnly(app, RESET_PATH, ['GET', 'POST']);
}

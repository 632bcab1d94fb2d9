import type { Context, Hono } from 'hono';
import { allowOnly } from '../http/methods.js';
import { issuerScope } from '../http/scope.js';
import type { IssuerScope } from '../issuers/scope.js';
import { handleEmailChange, handleEmailChangeCode, handleEmailChangeLink, showEmailChange, showEmailChangeLink } from './email-change.js';
import { EMAIL_CHANGE_CODE_PATH, EMAIL_CHANGE_PATH, EMAIL_CHANGE_VERIFY_PATH, SIGNUP_PATH } from './paths.js';
import { handleSignUp, showSignUp, showStandaloneSignUp } from './sign-up.js';
import { handleSignUpCode, handleSignUpLink, showSignUpLink } from './verify-sign-up.js';

const page =
  (handler: (c: Context, scope: IssuerScope) => Promise<Response>) =>
  (c: Context): Promise<Response> => {
    c.header('Cache-Control', 'no-store');
    return handler(c, issuerScope(c));
  };

/**
 * Self-service sign-up and changing the email. Registered before the interaction routes, whose
 * POST /interaction/:uid/:step would otherwise take /interaction/:uid/signup. Without mail
 * nothing is registered: no address could be verified (the paths answer 404).
 */
export function registerSignUp(app: Hono, hasMail: boolean): void {
  if (!hasMail) return;
  app.get(SIGNUP_PATH, page(showStandaloneSignUp));
  app.get('/interaction/:uid/signup', page(showSignUp));
  app.post('/interaction/:uid/signup', page(handleSignUp));
  app.post('/interaction/:uid/signup/code', page(handleSignUpCode));
  app.get('/interaction/:uid/signup/verify', page(showSignUpLink));
  app.post('/interaction/:uid/signup/verify', page(handleSignUpLink));

  app.get(EMAIL_CHANGE_PATH, page(showEmailChange));
  app.post(EMAIL_CHANGE_PATH, page(handleEmailChange));
  app.post(EMAIL_CHANGE_CODE_PATH, page(handleEmailChangeCode));
  app.get(EMAIL_CHANGE_VERIFY_PATH, page(showEmailChangeLink));
  app.post(EMAIL_CHANGE_VERIFY_PATH, page(handleEmailChangeLink));

  allowOnly(app, SIGNUP_PATH, ['GET']);
  allowOnly(app, '/interaction/:uid/signup', ['GET', 'POST']);
  allowOnly(app, '/interaction/:uid/signup/code', ['POST']);
  allowOnly(app, '/interaction/:uid/signup/verify', ['GET', 'POST']);
  allowOnly(app, EMAIL_CHANGE_PATH, ['GET', 'POST']);
  allowOnly(app, EMAIL_CHANGE_CODE_PATH, ['POST']);
  allowOnly(app, EMAIL_CHANGE_VERIFY_PATH, ['GET', 'POST']);
}

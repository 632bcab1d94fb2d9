import type { Context, Hono } from 'hono';
import { readPageForm } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import { issuerScope } from '../http/scope.js';
import { handleConsent, showConsent } from './consent.js';
import { finishDenied } from './finish.js';
import { type AnyLoadedInteraction, loadAnyInteraction, loadInteraction } from './load.js';
import { handleLogin, showLogin } from './login.js';

/** The page an interaction is waiting on: the sign-in form, or consent once signed in. */
export function showInteraction(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction): Promise<Response> {
  // An account sign-in has only the one step: it finishes when the password is right.
  if (!loaded.client) return showLogin(c, scope, loaded, undefined);
  if (loaded.interaction.prompt === 'consent') return showConsent(c, scope, loaded);
  return showLogin(c, scope, loaded, loaded.interaction.params.loginHint);
}

/** The hosted pages of an interaction: login, then consent, each finishing the request. */
export function registerInteractions(app: Hono): void {
  app.get('/interaction/:uid', async (c) => {
    c.header('Cache-Control', 'no-store');
    return showInteraction(c, issuerScope(c), await loadAnyInteraction(c, issuerScope(c)));
  });

  app.post('/interaction/:uid/login', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleLogin(c, issuerScope(c));
  });

  app.post('/interaction/:uid/consent', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleConsent(c, issuerScope(c));
  });

  app.post('/interaction/:uid/abort', async (c) => {
    const form = await readPageForm(c);
    const loaded = await loadInteraction(c, issuerScope(c), form.get('csrf'));
    return finishDenied(c, issuerScope(c), loaded, 'The user cancelled the sign-in');
  });
}

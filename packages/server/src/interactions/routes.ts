import type { Context, Hono } from 'hono';
import { readPageForm } from '../http/form.js';
import type { IssuerScope } from '../issuers/scope.js';
import { issuerScope } from '../http/scope.js';
import { finishDenied } from './finish.js';
import { type AnyLoadedInteraction, loadAnyInteraction, loadInteraction } from './load.js';
import { showLogin } from './login.js';
import { showMfa } from './mfa.js';
import { handleSwitchAccount } from './select-account.js';
import { STEPS, isStepName } from './steps.js';
import { handlePasskeySignIn } from '../passkeys/sign-in.js';
import { PASSKEY_STEP } from '../passkeys/sign-in-form.js';

/** The page an interaction is waiting on: the page of its current step. */
export function showInteraction(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction): Promise<Response> {
  // An account sign-in has the password step, and the second factor when one is due.
  if (!loaded.client) return loaded.interaction.prompt === 'mfa' ? showMfa(c, scope, loaded) : showLogin(c, scope, loaded, undefined);
  return STEPS[loaded.interaction.prompt].show(c, scope, loaded);
}

/** The hosted pages of an interaction: GET shows its current step, POST /:step completes one. */
export function registerInteractions(app: Hono): void {
  app.get('/interaction/:uid', async (c) => {
    c.header('Cache-Control', 'no-store');
    return showInteraction(c, issuerScope(c), await loadAnyInteraction(c, issuerScope(c)));
  });

  app.post('/interaction/:uid/abort', async (c) => {
    const form = await readPageForm(c);
    const loaded = await loadInteraction(c, issuerScope(c), form.get('csrf'));
    return finishDenied(c, issuerScope(c), loaded, 'The user cancelled the sign-in');
  });

  app.post('/interaction/:uid/switch', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleSwitchAccount(c, issuerScope(c));
  });

  // Not a step: a way through the login step, beside its password form.
  app.post(`/interaction/:uid/${PASSKEY_STEP}`, (c) => {
    c.header('Cache-Control', 'no-store');
    return handlePasskeySignIn(c, issuerScope(c));
  });

  app.post('/interaction/:uid/:step', (c) => {
    c.header('Cache-Control', 'no-store');
    const step = c.req.param('step');
    if (!isStepName(step)) return c.notFound();
    return STEPS[step].handle(c, issuerScope(c));
  });
}

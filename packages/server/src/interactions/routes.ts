import type { Hono } from 'hono';
import { readPageForm } from '../http/form.js';
import { loginPage } from '../pages/login.js';
import type { Services } from '../services.js';
import { handleConsent, showConsent } from './consent.js';
import { finishDenied } from './finish.js';
import { loadInteraction } from './load.js';
import { handleLogin } from './login.js';
import { sendPage } from '../http/respond.js';

/** The hosted pages of an interaction: login, then consent, each finishing the request. */
export function registerInteractions(app: Hono, services: Services): void {
  app.get('/interaction/:uid', async (c) => {
    c.header('Cache-Control', 'no-store');
    const loaded = await loadInteraction(c, services);
    if (loaded.interaction.prompt === 'consent') return showConsent(c, services, loaded);
    return sendPage(
      c,
      loginPage(services.config, {
        uid: loaded.interaction.id,
        csrf: loaded.interaction.csrfToken,
        clientName: loaded.client.name,
        email: loaded.interaction.params.loginHint,
      }),
    );
  });

  app.post('/interaction/:uid/login', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleLogin(c, services);
  });

  app.post('/interaction/:uid/consent', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleConsent(c, services);
  });

  app.post('/interaction/:uid/abort', async (c) => {
    const form = await readPageForm(c);
    const loaded = await loadInteraction(c, services, form.get('csrf'));
    return finishDenied(c, services, loaded, 'The user cancelled the sign-in');
  });
}

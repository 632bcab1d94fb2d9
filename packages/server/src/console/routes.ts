import type { Hono } from 'hono';
import { allowOnly } from '../http/methods.js';
import { issuerScope } from '../http/scope.js';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { registerAppPages } from './apps.js';
import { registerSecuritySettingsPages } from './security-settings.js';
import { registerAuditPages } from './audit.js';
import { registerBrandingPages } from './branding.js';
import { registerIssuerPages } from './issuers.js';
import { registerTrySignIn } from './try-sign-in.js';
import { registerUserPages } from './users.js';
import { registerKeyPages } from './keys.js';
import { registerWebhookPages } from './webhooks.js';
import { registerClaimsPages } from './claims.js';
import { registerOrganizationPages } from './organizations.js';
import { registerClosurePages } from './closures.js';
import { registerUpstreamProviderPages } from './upstream-providers.js';
import { consolePage } from './guard.js';
import { inspectToken } from './inspect.js';
import { InspectorPage } from './pages/inspector.js';
import { OverviewPage, type Stats } from './pages/overview.js';
import { CONSOLE_PATHS } from './paths.js';
import { CONSOLE_SCRIPT } from './script.js';
import { completeSetup, showSetup } from './setup.js';
import { finishSignIn, signOut, startSignIn } from './sign-in.js';
import { consoleStylesheet } from './stylesheet.js';

/**
 * The console at `<issuer>/admin` (docs/console.md): server-rendered pages that read and write
 * through the Admin API with the signed-in operator's token. `fetch` is the app's own, for
 * those in-process calls and the console's token requests.
 */
export function registerConsole(app: Hono, fetch: AppFetch): void {
  app.get(CONSOLE_PATHS.stylesheet, (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(consoleStylesheet(issuerScope(c)));
  });
  app.get(CONSOLE_PATHS.script, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(CONSOLE_SCRIPT);
  });

  app.get(CONSOLE_PATHS.signIn, startSignIn);
  app.get(CONSOLE_PATHS.callback, finishSignIn(fetch));
  app.post(CONSOLE_PATHS.signOut, signOut(fetch));
  app.get(CONSOLE_PATHS.setup, showSetup);
  app.post(CONSOLE_PATHS.setup, completeSetup);

  app.get(
    CONSOLE_PATHS.overview,
    consolePage(fetch, async (call) => sendPage(call.c, OverviewPage({ frame: call.frame, stats: await call.read<Stats>('/stats?days=14') }))),
  );
  registerAppPages(app, fetch);
  registerTrySignIn(app, fetch);
  registerUserPages(app, fetch);
  registerAuditPages(app, fetch);
  registerBrandingPages(app, fetch);
  registerSecuritySettingsPages(app, fetch);
  registerIssuerPages(app, fetch);
  registerKeyPages(app, fetch);
  registerWebhookPages(app, fetch);
  registerClaimsPages(app, fetch);
  registerOrganizationPages(app, fetch);
  registerClosurePages(app, fetch);
  registerUpstreamProviderPages(app, fetch);
  app.get(
    CONSOLE_PATHS.inspector,
    consolePage(fetch, async (call) => sendPage(call.c, InspectorPage({ frame: call.frame }))),
  );
  app.post(
    CONSOLE_PATHS.inspector,
    consolePage(fetch, async (call) =>
      sendPage(call.c, InspectorPage({ frame: call.frame, inspection: await inspectToken(call.scope, call.form.get('token') ?? '') })),
    ),
  );

  allowOnly(app, CONSOLE_PATHS.signIn, ['GET']);
  allowOnly(app, CONSOLE_PATHS.callback, ['GET']);
  allowOnly(app, CONSOLE_PATHS.signOut, ['POST']);
  allowOnly(app, CONSOLE_PATHS.setup, ['GET', 'POST']);
  allowOnly(app, CONSOLE_PATHS.overview, ['GET']);
}

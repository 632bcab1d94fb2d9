import type { Hono } from 'hono';
import { stylesheet } from '../pages/stylesheet.js';
import { LOCAL_TIME_SCRIPT } from '../pages/local-time.js';
import { PASSKEY_SCRIPT } from '../passkeys/script.js';
import { issuerScope } from '../http/scope.js';

export function registerAssets(app: Hono): void {
  app.get('/assets/local-time.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(LOCAL_TIME_SCRIPT);
  });

  app.get('/assets/passkeys.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(PASSKEY_SCRIPT);
  });

  app.get('/assets/gatehouse.css', (c) => {
    const scope = issuerScope(c);
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    // Each issuer's own colours; made once per scope (a settings change makes a new scope).
    scope.stylesheet ??= stylesheet(scope);
    return c.body(scope.stylesheet);
  });
}

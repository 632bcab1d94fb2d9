import type { Hono } from 'hono';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import { HomePage } from '../pages/home.js';

/** GET / of every issuer: a small page naming it, instead of a JSON 404 (docs/production.md). */
export function registerHome(app: Hono): void {
  app.get('/', (c) => sendPage(c, HomePage({ site: issuerScope(c), t: pageTranslator(c) })));
}

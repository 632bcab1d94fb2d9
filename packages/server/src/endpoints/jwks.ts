import type { Hono } from 'hono';
import { issuerScope } from '../http/scope.js';

export function registerJwks(app: Hono): void {
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', `public, max-age=${issuerScope(c).keys.timing.jwksMaxAge}`);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Type', 'application/jwk-set+json');
    return c.body(await issuerScope(c).keys.jwksJson());
  });
}

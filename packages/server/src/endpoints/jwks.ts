import type { Hono } from 'hono';
import type { Services } from '../services.js';

export function registerJwks(app: Hono, services: Services): void {
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', `public, max-age=${services.keys.timing.jwksMaxAge}`);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Type', 'application/jwk-set+json');
    return c.body(await services.keys.jwksJson());
  });
}

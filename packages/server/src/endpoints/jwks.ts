import type { Hono } from 'hono';
import type { Services } from '../services.js';
import { JWKS_MAX_AGE_SECONDS } from '../tokens/keys.js';

export function registerJwks(app: Hono, services: Services): void {
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Type', 'application/jwk-set+json');
    return c.body(JSON.stringify(await services.keys.jwks()));
  });
}

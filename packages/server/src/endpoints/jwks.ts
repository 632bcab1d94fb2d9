import type { Hono } from 'hono';
import type { IssuerScope } from '../issuers/scope.js';
import type { Services } from '../services.js';
import { issuerScope } from '../http/scope.js';

export function registerJwks(app: Hono, services: Services): void {
  app.get('/.well-known/jwks.json', async (c) => {
    c.header('Cache-Control', `public, max-age=${issuerScope(c).keys.timing.jwksMaxAge}`);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Type', 'application/jwk-set+json');
    return c.body(await issuerScope(c).keys.jwksJson());
  });
}

import type { Hono } from 'hono';
import { stylesheet } from '../pages/stylesheet.js';
import type { Services } from '../services.js';

export function registerAssets(app: Hono, services: Services): void {
  const css = stylesheet(services.config);
  app.get('/assets/gatehouse.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(css);
  });
}

import type { Hono } from 'hono';
import { OAuthError } from '../errors.js';

/** Answers other methods on a protocol path with 405 and an Allow header, not a 404. */
export function allowOnly(app: Hono, path: string, methods: readonly string[]): void {
  const allow = methods.join(', ');
  app.all(path, () => {
    throw new OAuthError('invalid_request', `Use ${allow} for this endpoint`, { status: 405, headers: { Allow: allow } });
  });
}

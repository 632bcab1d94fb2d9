import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.js';

// No inline script or style anywhere: pages work without JavaScript (the one script, which shows
// times in the browser's zone, is a file of our own). form-action is not set on purpose: Chrome
// applies it to the redirect after a form post, which must reach the client app.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; frame-ancestors 'none'; base-uri 'none'";

export function securityHeaders(config: Config): MiddlewareHandler {
  const https = config.issuer.startsWith('https:');
  // Set before the handler runs, so Hono adds them as it builds the response; setting them on a
  // finished response makes the Node adapter rebuild it, which doubles the cost of small answers.
  return async (c, next) => {
    c.header('Content-Security-Policy', CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (https) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}

import type { Hono } from 'hono';
import { issuerScope } from '../http/scope.js';
import { handleEmailCodeSend, handleEmailCodeVerify } from './email-code.js';
import { POW_SCRIPT } from './pow-script.js';

/** The proof-of-work script and the "Email me a code" posts; registered before the interaction steps. */
export function registerAbuse(app: Hono): void {
  app.get('/assets/proof-of-work.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(POW_SCRIPT);
  });
  app.post('/interaction/:uid/email-code/send', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleEmailCodeSend(c, issuerScope(c));
  });
  app.post('/interaction/:uid/email-code/verify', (c) => {
    c.header('Cache-Control', 'no-store');
    return handleEmailCodeVerify(c, issuerScope(c));
  });
}

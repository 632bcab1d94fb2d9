import type { Context } from 'hono';
import type { IssuerScope } from '../issuers/scope.js';
import type { SessionDevice } from '../store/repos/sessions.js';
import { clientIp } from './client-ip.js';

const MAX_USER_AGENT = 512;
const MAX_IP = 64;

/**
 * The browser a session is started from, for the account's sessions page: the User-Agent as
 * sent (cut to its column's size; shown, never trusted) and the address as client-ip.ts sees it.
 */
export function sessionDevice(c: Context, scope: IssuerScope): SessionDevice {
  const agent = c.req.header('user-agent');
  const ip = clientIp(c, scope.services.config.trustProxy);
  return {
    userAgent: agent ? agent.slice(0, MAX_USER_AGENT) : null,
    ip: ip && ip !== 'unknown' ? ip.slice(0, MAX_IP) : null,
  };
}

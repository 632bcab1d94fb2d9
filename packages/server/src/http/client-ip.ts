import type { Context } from 'hono';

/**
 * The caller's address. X-Forwarded-For is believed only with GATEHOUSE_TRUST_PROXY, and then
 * its last entry: the one the nearest proxy added, which the caller cannot forge.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').pop()?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

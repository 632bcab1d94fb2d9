import { isLoopbackHost } from '../config.js';

/**
 * Exact string comparison (RFC 9700 §2.1) with one exception for native apps, which are public
 * clients (RFC 8252 §7.3): they pick a loopback port at run time, so for their http redirect
 * URIs on a loopback IP literal or localhost the port may differ. A confidential (web) client
 * gets none: its loopback URI is a fixed server, and another port is another program.
 */
export function redirectUriMatches(client: { redirectUris: readonly string[]; isPublic: boolean }, requested: string): boolean {
  const registered = client.redirectUris;
  if (registered.includes(requested)) return true;
  if (!client.isPublic) return false;
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return false;
  const withoutPort = (u: URL): string => `${u.protocol}//${u.hostname}${u.pathname}${u.search}`;
  return registered.some((candidate) => {
    try {
      const r = new URL(candidate);
      return r.protocol === 'http:' && isLoopbackHost(r.hostname) && withoutPort(r) === withoutPort(url) && !url.username && !url.hash;
    } catch {
      return false;
    }
  });
}

import { isLoopbackHost } from '../config.js';

/**
 * Exact string comparison with one exception (RFC 8252 §7.3): for http redirect URIs on a
 * loopback IP literal or localhost, native apps pick a port at run time, so the port may differ.
 */
export function redirectUriMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
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

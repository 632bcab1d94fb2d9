/** Whether `host` (a URL's hostname) is this machine: plain http is allowed to it only (development, tests). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Why `raw` cannot be an upstream URL (https, or http to loopback), or undefined when it can. */
export function upstreamUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'must be https (plain http only to this machine: localhost, 127.0.0.1, [::1])';
}

/** Whether requests to `url` may go over plain http: only to loopback, which upstreamUrlProblem let through. */
export function insecureAllowed(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

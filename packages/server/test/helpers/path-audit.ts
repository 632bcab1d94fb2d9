import type { GatehouseApp } from '../../src/app.js';

/**
 * An issuer served under a path (GATEHOUSE_ISSUER=http://localhost:3000/idp) owns only that path
 * on its host: whatever it sends a browser back to must stay under it. Tests build the paths they
 * request themselves (helpers/prefix.ts), so a link the server got wrong would only fail a test
 * that happened to follow it; this audit fails any test whose response has one.
 *
 * Checked on every response of a test context's app when its issuer has a path:
 * - a Location header, relative or on the issuer's origin (or the origin the request came in on);
 * - every Set-Cookie's Path;
 * - in HTML, every root-relative href, src, action and formaction, and the CSS's url(/…);
 * - in any text body or header, every absolute URL on the issuer's origin, also URL-encoded
 *   (an `iss` in a redirect's query, discovery's endpoints, a mail link shown on a page).
 * Nothing of the default issuer lives at the host's root, so there are no exceptions: a path
 * outside the prefix is answered 404 as another application's (issuers/scopes.ts).
 */
export function auditedApp(app: GatehouseApp, issuer: string): GatehouseApp {
  const url = new URL(issuer);
  const base = url.pathname.replace(/\/+$/, '');
  if (base === '') return app;
  const audit = async (request: Request, res: Response): Promise<Response> => {
    const problems = await problemsOf(request, res, url.origin, base);
    if (problems.length > 0) {
      throw new Error(`${request.method} ${request.url} answered outside ${base}:\n  ${problems.join('\n  ')}`);
    }
    return res;
  };
  const fetch = (request: Request, env?: object): Promise<Response> => {
    // The request is read by the app; the audit needs only its URL and method.
    const seen = new Request(request.url, { method: request.method });
    return Promise.resolve(app.fetch(request, env)).then((res) => audit(seen, res));
  };
  return {
    fetch,
    request: (input, init) => {
      const request =
        input instanceof Request
          ? init
            ? new Request(input, init)
            : input
          : new Request(typeof input === 'string' && !/^https?:\/\//.test(input) ? `http://localhost${input}` : input, init);
      return fetch(request);
    },
  };
}

const under = (path: string, base: string): boolean => path === base || path.startsWith(`${base}/`);

async function problemsOf(request: Request, res: Response, origin: string, base: string): Promise<string[]> {
  const problems: string[] = [];
  const requestOrigin = new URL(request.url).origin;
  const location = res.headers.get('location');
  if (location !== null) {
    const target = new URL(location, request.url);
    if ((target.origin === origin || target.origin === requestOrigin) && !under(target.pathname, base)) problems.push(`Location: ${location}`);
    problems.push(...absoluteUrls(safeDecode(location), origin, base).map((u) => `Location: ${location} names ${u}`));
  }
  for (const cookie of res.headers.getSetCookie()) {
    const path = /;\s*path=([^;]*)/i.exec(cookie)?.[1]?.trim();
    if (path === undefined) problems.push(`Set-Cookie without a Path: ${cookie.split(';')[0]?.split('=')[0]}`);
    else if (!under(path.replace(/\/$/, '') || '/', base)) problems.push(`Set-Cookie ${cookie.split('=')[0]} with Path=${path}`);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!/^(text\/|application\/(json|javascript|xml|[a-z.+-]*\+json))/i.test(type) || res.body === null) return problems;
  const body = await res.clone().text();
  if (/html/i.test(type)) {
    for (const m of body.matchAll(/\s(href|src|action|formaction)\s*=\s*["']([^"']*)["']/gi)) {
      const value = unescapeHtml(m[2] ?? '');
      if (value.startsWith('/') && !value.startsWith('//') && !under(new URL(value, 'http://x').pathname, base)) problems.push(`${m[1]}="${value}"`);
    }
  }
  for (const m of body.matchAll(/url\(\s*["']?(\/[^)"']*)/gi)) {
    const value = m[1] ?? '';
    if (!value.startsWith('//') && !under(new URL(value, 'http://x').pathname, base)) problems.push(`url(${value})`);
  }
  const text = unescapeHtml(body);
  problems.push(...absoluteUrls(text, origin, base), ...absoluteUrls(safeDecode(text), origin, base).map((u) => `${u} (URL-encoded)`));
  return [...new Set(problems)];
}

/** The URLs on `origin` in `text` whose path is not under `base`. */
function absoluteUrls(text: string, origin: string, base: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(`${origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w.:-])([^\\s"'<>\`)\\\\?#&]*)`, 'g');
  for (const m of text.matchAll(pattern)) {
    const path = m[1] ?? '';
    if (!under(path.replace(/\/$/, ''), base) && !under(path, base)) found.push(`${origin}${path}`);
  }
  return found;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%3A/gi, ':').replace(/%2F/gi, '/');
  }
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x2F;/gi, '/')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
